/**
 * Date and time data types and the date built-ins, with values worked out by hand from the PMML
 * definitions (the first four are the specification's own examples).
 */
import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa, loadPmml, type PmmlModel } from '../../src/index.js';
import { thrown } from '../helpers/pfa.js';

const errorCode = (f: () => unknown): string | number => thrown(f).code;

/** A model over data fields `fields` (name -> dataType) whose outputs are the given expressions. */
function model(
  fields: Record<string, string>,
  outputs: Record<string, [dataType: string, expression: string]>,
  transformations = '',
): PmmlModel {
  const names = Object.keys(fields);
  return loadPmml(`<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>${names.map((n) => `<DataField name="${n}" optype="continuous" dataType="${fields[n]}"/>`).join('')}</DataDictionary>
<TransformationDictionary>${transformations}</TransformationDictionary>
<RegressionModel functionName="regression">
  <MiningSchema>${names.map((n) => `<MiningField name="${n}"/>`).join('')}</MiningSchema>
  <Output>${Object.entries(outputs)
    .map(([n, [t, e]]) => `<OutputField name="${n}" feature="transformedValue" dataType="${t}">${e}</OutputField>`)
    .join('')}</Output>
  <RegressionTable intercept="0"/>
</RegressionModel></PMML>`);
}

const apply = (fn: string, ...args: string[]) => `<Apply function="${fn}">${args.join('')}</Apply>`;
const ref = (f: string) => `<FieldRef field="${f}"/>`;
const c = (v: string, t = '') => `<Constant${t ? ` dataType="${t}"` : ''}>${v}</Constant>`;
const derived = (name: string, dataType: string, expression: string) =>
  `<DerivedField name="${name}" optype="continuous" dataType="${dataType}">${expression}</DerivedField>`;

describe('date built-ins', () => {
  const m = model(
    { d: 'date', t: 'time', dt: 'dateTime' },
    {
      days: ['integer', apply('dateDaysSinceYear', ref('d'), c('1960'))],
      seconds: ['integer', apply('dateSecondsSinceYear', ref('dt'), c('1960'))],
      midnight: ['integer', apply('dateSecondsSinceMidnight', ref('t'))],
      formatted: ['string', apply('formatDatetime', ref('d'), c('%m/%d/%y'))],
    },
  );

  it('computes the specification examples', () => {
    // 1960-01-01 to 2003-04-01: 43 years with 11 leap days (1960, 1964, ..., 2000), then 31 + 28 + 31 days: 43·365 + 11 + 90.
    // 1960-01-03T03:30:03: 2 days and 3:30:03, 2·86400 + 3·3600 + 30·60 + 3.  05:22:03: 5·3600 + 22·60 + 3.
    expect(m.score({ d: '2003-04-01', t: '05:22:03', dt: '1960-01-03T03:30:03' })).toMatchObject({
      days: 15796,
      seconds: 185403,
      midnight: 19323,
    });
    expect(m.score({ d: '2004-08-20' }).formatted).toBe('08/20/04');
  });

  it('gives missing results for missing dates', () => {
    expect(m.score({})).toMatchObject({ days: null, seconds: null, midnight: null, formatted: null });
  });

  it('counts from any year, the year before the epoch too', () => {
    const y = model(
      { d: 'date', dt: 'dateTime', year: 'integer' },
      {
        before: ['integer', apply('dateDaysSinceYear', ref('d'), ref('year'))],
        seconds: ['integer', apply('dateSecondsSinceYear', ref('d'), c('1970'))],
        ofDateTime: ['integer', apply('dateDaysSinceYear', ref('dt'), c('1970'))],
        midnight: ['integer', apply('dateSecondsSinceMidnight', ref('dt'))],
      },
    );
    // 1969-12-31 is one day before 1970-01-01; 1970-01-03 is 2 days after, 2·86400 seconds.
    expect(y.score({ d: '1969-12-31', year: 1970 }).before).toBe(-1);
    expect(y.score({ d: '1970-01-03' }).seconds).toBe(172800);
    // 1969-12-31T23:00:00 falls on day -1; its time of day is 23·3600.
    expect(y.score({ dt: '1969-12-31T23:00:00' })).toMatchObject({ ofDateTime: -1, midnight: 82800 });
  });

  it('formats with the strftime conversions', () => {
    const f = model(
      { dt: 'dateTime' },
      { s: ['string', apply('formatDatetime', ref('dt'), c('%Y-%m-%d %H:%M:%S %I%p %a %A %b %B %e %j %%'))] },
    );
    // 2021-03-07 is a Sunday (March 1 was a Monday), day 31 + 28 + 7 = 66 of the year; 15:04 is 3 PM.
    expect(f.score({ dt: '2021-03-07T15:04:05' }).s).toBe('2021-03-07 15:04:05 03PM Sun Sunday Mar March  7 066 %');
  });

  it('reports what it cannot lower at load', () => {
    expect(errorCode(() => model({ d: 'date' }, { s: ['string', apply('formatDatetime', ref('d'), c('%Q'))] }))).toBe('pmml-unsupported');
    expect(errorCode(() => model({ x: 'double' }, { n: ['integer', apply('dateDaysSinceYear', ref('x'), c('1960'))] }))).toBe(
      'pmml-invalid',
    );
    expect(errorCode(() => model({ t: 'time' }, { n: ['integer', apply('dateDaysSinceYear', ref('t'), c('1960'))] }))).toBe('pmml-invalid');
  });
});

describe('date and time data types', () => {
  const types = {
    d: 'date',
    d1960: 'dateDaysSince[1960]',
    d1970: 'dateDaysSince[1970]',
    d0: 'dateDaysSince[0]',
    s1980: 'dateTimeSecondsSince[1980]',
    ts: 'timeSeconds',
  };
  const m = model(types, Object.fromEntries(Object.keys(types).map((k) => [`o_${k}`, ['double', ref(k)] as [string, string]])));

  it('reads ISO-8601 text as the number the type defines', () => {
    // 1970 to 2020: 50 years with 12 leap days (1972 ... 2016). Year 0 is a leap year: 0001-01-01 is day 366.
    expect(
      m.score({ d1960: '1960-01-02', d1970: '2020-01-01', d0: '0001-01-01', s1980: '1980-01-02T00:00:01', ts: '01:00:00.5' }),
    ).toMatchObject({
      o_d1960: 1,
      o_d1970: 18262,
      o_d0: 366,
      o_s1980: 86401,
      o_ts: 3600.5,
    });
  });

  it('reads numbers for the *Since types and timeSeconds', () => {
    expect(m.score({ d1970: 5, s1980: '-10', ts: 90 })).toMatchObject({ o_d1970: 5, o_s1980: -10, o_ts: 90 });
  });

  it('holds a date as days since 1970', () => {
    expect(m.score({ d: '1970-02-01' }).o_d).toBe(31);
  });

  it('raises a scoring error for text that is not a date', () => {
    expect(() => m.score({ d: '01/02/2020' })).toThrow(/ISO-8601/);
    expect(() => m.score({ d: '2021-02-29' })).toThrow();
    expect(() => m.score({ ts: '25:00:00' })).toThrow(/ISO-8601/);
  });

  it('converts between types in DerivedFields', () => {
    const conv = model(
      { d: 'date', dt: 'dateTime' },
      {
        days: ['double', ref('days')],
        secs: ['double', ref('secs')],
        day: ['double', ref('day')],
        tod: ['double', apply('dateSecondsSinceMidnight', ref('tod'))],
        text: ['string', ref('text')],
      },
      derived('days', 'dateDaysSince[1960]', ref('d')) +
        derived('secs', 'dateTimeSecondsSince[1970]', ref('d')) +
        derived('day', 'dateDaysSince[1970]', ref('dt')) +
        derived('tod', 'time', ref('dt')) +
        `<DerivedField name="text" optype="categorical" dataType="string">${ref('dt')}</DerivedField>`,
    );
    // 1970-01-01 is day 3653 since 1960 (10 years, 3 leap days); 1970-01-02 is 86400 seconds after 1970.
    expect(conv.score({ d: '1970-01-02' })).toMatchObject({ days: 3654, secs: 86400 });
    // 1970-01-02T23:59:59 is on day 1, at 86399 seconds after midnight.
    expect(conv.score({ dt: '1970-01-02T23:59:59' })).toMatchObject({ day: 1, tod: 86399, text: '1970-01-02T23:59:59' });
  });

  it('compares dates with ISO-8601 constants in Apply', () => {
    const cmp = model(
      { d: 'date' },
      {
        later: ['boolean', apply('greaterThan', ref('d'), c('2000-01-01'))],
        listed: ['boolean', apply('isIn', ref('d'), c('2020-12-25'), c('2021-01-01'))],
        typed: ['boolean', apply('equal', ref('d'), c('2020-12-25', 'date'))],
      },
    );
    expect(cmp.score({ d: '2020-12-25' })).toEqual({ later: true, listed: true, typed: true });
    expect(cmp.score({ d: '1999-12-31' })).toEqual({ later: false, listed: false, typed: false });
  });

  it('writes PFA that validates and scores the same', () => {
    const text = JSON.stringify(m.pfa);
    checkPfaSource(text);
    const record = { d: '1970-02-01', d1970: '2020-01-01', ts: 90 };
    expect(loadPfa(text).action(m.pfaInput(record))).toEqual(m.engine.action(m.pfaInput(record)));
  });
});

describe('dates in predicates, Discretize and MapValues', () => {
  const tree = loadPmml(`<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="d" optype="continuous" dataType="date"/>
  <DataField name="since" optype="continuous" dataType="dateDaysSince[1970]"/>
  <DataField name="era" optype="categorical" dataType="string"/>
</DataDictionary>
<TransformationDictionary>
  <DerivedField name="year" optype="categorical" dataType="string">
    <Discretize field="since" defaultValue="other">
      <DiscretizeBin binValue="2020"><Interval closure="closedOpen" leftMargin="18262" rightMargin="18628"/></DiscretizeBin>
    </Discretize>
  </DerivedField>
  <DerivedField name="holiday" optype="categorical" dataType="string">
    <MapValues outputColumn="name" defaultValue="none">
      <FieldColumnPair field="d" column="day"/>
      <InlineTable><row><day>2020-12-25</day><name>Christmas</name></row></InlineTable>
    </MapValues>
  </DerivedField>
</TransformationDictionary>
<TreeModel functionName="classification" noTrueChildStrategy="returnLastPrediction">
  <MiningSchema><MiningField name="d"/><MiningField name="since"/><MiningField name="era" usageType="target"/></MiningSchema>
  <Output>
    <OutputField name="year" feature="transformedValue" dataType="string"><FieldRef field="year"/></OutputField>
    <OutputField name="holiday" feature="transformedValue" dataType="string"><FieldRef field="holiday"/></OutputField>
  </Output>
  <Node score="none"><True/>
    <Node score="old"><SimplePredicate field="d" operator="lessThan" value="2000-01-01"/></Node>
    <Node score="festive"><SimpleSetPredicate field="d" booleanOperator="isIn"><Array type="string">2020-12-25 2021-01-01</Array></SimpleSetPredicate></Node>
    <Node score="recent"><SimplePredicate field="since" operator="greaterOrEqual" value="2020-01-01"/></Node>
  </Node>
</TreeModel></PMML>`);

  it('compares a date with ISO-8601 values in SimplePredicate and SimpleSetPredicate', () => {
    expect(tree.score({ d: '1999-12-31' }).era).toBe('old');
    expect(tree.score({ d: '2020-12-25' }).era).toBe('festive');
    // since = 18262 is 2020-01-01: the predicate's ISO value is read as a day number too.
    expect(tree.score({ d: '2010-06-01', since: 18262 }).era).toBe('recent');
    expect(tree.score({ d: '2010-06-01', since: 18261 }).era).toBe('none');
  });

  it('bins day numbers with Discretize and matches dates in MapValues', () => {
    // 2020 is a leap year: days 18262 (2020-01-01) to 18627 (2020-12-31).
    expect(tree.score({ since: '2020-12-31' }).year).toBe('2020');
    expect(tree.score({ since: 18628 }).year).toBe('other');
    expect(tree.score({ d: '2020-12-25' }).holiday).toBe('Christmas');
    expect(tree.score({ d: '2020-12-24' }).holiday).toBe('none');
  });
});
