/** The media type of every TAXII 2.1 resource (discovery, api root, collections, envelopes, errors). */
export const taxiiMediaType = 'application/taxii+json;version=2.1';

/**
 * Why an answer's Content-Type is not TAXII 2.1 JSON, or undefined when it is. Plain
 * `application/json` is accepted (some servers answer so); a TAXII media type of another version
 * is not, because a 2.0 server answers with a STIX bundle instead of an envelope.
 */
export function taxiiContentTypeProblem(contentType: string | null | undefined): string | undefined {
  if (contentType === null || contentType === undefined || contentType.trim() === '') return undefined;
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type === 'application/json') return undefined;
  if (type !== 'application/taxii+json') return `the server answered ${contentType}, not ${taxiiMediaType}`;
  const version = parameters.find((p) => p.startsWith('version='))?.slice('version='.length);
  if (version === undefined || version === '2.1') return undefined;
  return `the server answered TAXII version ${version}; only 2.1 is supported`;
}
