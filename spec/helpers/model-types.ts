/**
 * The Avro types of the model records that the linear, neural and cluster specs keep in cells:
 * one definition, so that every spec builds its documents on the same records.
 */
export const ARRAY = { type: 'array', items: 'double' };
export const MATRIX = { type: 'array', items: ARRAY };

/** model.reg.linear's model: `coeff` an array and `const` a double, or a matrix and an array. */
export function linearModel(shape: 'scalar' | 'vector', name = 'M') {
  return {
    type: 'record',
    name,
    fields: [
      { name: 'coeff', type: shape === 'scalar' ? ARRAY : MATRIX },
      { name: 'const', type: shape === 'scalar' ? 'double' : ARRAY },
    ],
  };
}

/** One layer of model.neural.simpleLayers. */
export const LAYER = {
  type: 'record',
  name: 'L',
  fields: [
    { name: 'weights', type: MATRIX },
    { name: 'bias', type: ARRAY },
  ],
};
