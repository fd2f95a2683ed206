// ISO 3779 letter values: A–H are 1–8, J–N 1–5, P 7, R 9, S–Z 2–9 (I, O and Q are never used).
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const LETTER_VALUES = '12345678123457923456789';
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/**
 * ISO 3779 VIN: 17 characters without I, O or Q. The position-9 check digit is mandatory only in North America, so
 * the result says which: `checked` (the digit matches), `unchecked` (a VIN shape whose digit does not match, as
 * European VINs may), or `invalid`.
 */
export function vinCheck(vin: string): 'checked' | 'unchecked' | 'invalid' {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin) || !/\d/.test(vin) || !/[A-Z]/.test(vin)) return 'invalid';
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = vin[i]!;
    const value = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : Number(LETTER_VALUES[LETTERS.indexOf(ch)]);
    sum += value * WEIGHTS[i]!;
  }
  const check = sum % 11;
  return vin[8] === (check === 10 ? 'X' : String(check)) ? 'checked' : 'unchecked';
}
