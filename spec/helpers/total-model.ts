/** The input record of the scoring specs' Total model (spec/fixtures/scoring/total.pfa.yaml), as an Avro schema for avsc. */
export const TOTAL_INPUT_SCHEMA = {
  type: 'record',
  name: 'In',
  fields: [
    { name: 'x', type: 'double' },
    { name: 'y', type: ['null', 'double'] },
    { name: 'label', type: 'string' },
  ],
};
