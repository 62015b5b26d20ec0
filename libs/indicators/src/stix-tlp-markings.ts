import { isRecord } from './is-record';
import { parseTlp, type Tlp } from './tlp';

/**
 * The TLP marking-definition ids every STIX producer shares, so a bundle need not carry the
 * definitions: TLP 1.0 ones from the STIX 2.1 specification (section 7.2.1.4) and TLP 2.0 ones
 * from the OASIS TLP 2.0 extension (extension-definition--60a3c5c5-…).
 */
export const standardTlpMarkings: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'clear'], // TLP:WHITE
  ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'green'],
  ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'amber'],
  ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'red'],
  ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'clear'],
  ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'green'],
  ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'amber'],
  ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'amber+strict'],
  ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', 'red'],
]);

const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/**
 * The TLP level a marking-definition object in a bundle states, by any of the three ways
 * producers write it: STIX 2.1 `definition_type: "tlp"` with `definition.tlp`, the TLP 2.0
 * extension's `tlp_2_0`, or a `name` such as `TLP:AMBER+STRICT`. Undefined for other markings
 * (statements, copyright), which say nothing about TLP.
 */
export function tlpOfMarkingDefinition(marking: Record<string, unknown>): Tlp | undefined {
  const definition = marking['definition'];
  if (marking['definition_type'] === 'tlp' && isRecord(definition) && typeof definition['tlp'] === 'string') {
    return parseTlp(definition['tlp']);
  }
  const extensions = marking['extensions'];
  const tlp2 = isRecord(extensions) ? extensions[TLP2_EXTENSION] : undefined;
  if (isRecord(tlp2) && typeof tlp2['tlp_2_0'] === 'string') return parseTlp(tlp2['tlp_2_0']);
  const name = marking['name'];
  if (typeof name === 'string' && /^tlp:/i.test(name.trim())) return parseTlp(name);
  return undefined;
}
