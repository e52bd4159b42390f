import { fixtureVersion } from './__fixtures__';
import { loadCatalogue } from './catalogue';
import { findSchemasDir } from './location';
import { checkBackwardTransitive, describeCompatibilityProblem } from './compatibility';

describe('local BACKWARD_TRANSITIVE gate', () => {
  it('accepts a new version that adds a field with a default', () => {
    expect(
      checkBackwardTransitive([fixtureVersion('base', 1), fixtureVersion('add-field-with-default', 2)]),
    ).toEqual([]);
  });

  it('refuses a new version that adds a field without a default', () => {
    const problems = checkBackwardTransitive([
      fixtureVersion('base', 1),
      fixtureVersion('add-field-without-default', 2),
    ]);

    expect(problems).toEqual([
      expect.objectContaining({ type: 'fixtures.schemas.Payment', reader: 2, writer: 1 }),
    ]);
    expect(describeCompatibilityProblem(problems[0])).toMatch(/v2 cannot read events written as v1.*channel/);
  });

  it("refuses a new version that changes a field's type", () => {
    const problems = checkBackwardTransitive([
      fixtureVersion('base', 1),
      fixtureVersion('change-field-type', 2),
    ]);

    expect(problems.map(describeCompatibilityProblem)).toEqual([
      expect.stringMatching(/v2 cannot read events written as v1 .*"long" as "string"/),
    ]);
  });

  it('accepts removing a field, since the new reader simply ignores it in old data', () => {
    expect(checkBackwardTransitive([fixtureVersion('base', 1), fixtureVersion('remove-amount', 2)])).toEqual(
      [],
    );
  });

  it('compares each version with every earlier one, not only its predecessor', () => {
    const versions = [
      fixtureVersion('base', 1),
      fixtureVersion('remove-amount', 2),
      fixtureVersion('readd-amount-as-string', 3),
    ];

    expect(checkBackwardTransitive(versions)).toEqual([expect.objectContaining({ reader: 3, writer: 1 })]);
  });

  it('finds the schemas in avro-schemas/ compatible', () => {
    expect(checkBackwardTransitive(loadCatalogue(findSchemasDir()))).toEqual([]);
  });
});
