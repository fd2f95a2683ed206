/**
 * A US ABA routing number: nine digits whose weighted sum (3, 7, 1 repeating) is a multiple of 10, and whose first two
 * digits name a Federal Reserve district (00–12), a thrift (21–32), or an electronic (61–72) or traveller's-cheque (80)
 * prefix.
 */
export function abaRoutingValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const prefix = Number(digits.slice(0, 2));
  const prefixOk = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  if (!prefixOk) return false;
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * weights[i % 3]!;
  return sum % 10 === 0 && digits !== '000000000';
}
