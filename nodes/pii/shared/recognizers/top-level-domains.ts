import { getCountries } from 'libphonenumber-js/max';

/**
 * Generic top-level domains common enough to appear in running text. A bare domain ("microsoft.com")
 * needs one of these or a country code to count as a URL; with a scheme any letter label is fine.
 */
const generic = `
com org net edu gov mil int info biz pro mobi asia io ai app dev site online store shop tech xyz
club blog cloud news live world website digital agency media studio academy company global
finance bank consulting services software
`;

/** Country codes that are also everyday file extensions: not URLs without a scheme or www. */
const fileExtensionCountryCodes = new Set(['md', 'py', 'sh', 'rs', 'ps', 'cc', 'mk', 'ml', 'sc', 'tf', 'pm', 'so', 'cs']);

const countryCodes = [...getCountries().map((code) => code.toLowerCase()), 'uk', 'eu', 'su', 'tf', 'gs', 'aq', 'bv', 'hm', 'um'];

const known = new Set([...generic.split(/\s+/).filter(Boolean), ...countryCodes]);

/** True for a lower-case top-level label a bare or www domain may end with. */
export function isKnownTopLevelDomain(label: string, bare: boolean): boolean {
  if (label.startsWith('xn--')) return true;
  if (!known.has(label)) return false;
  return !(bare && fileExtensionCountryCodes.has(label));
}
