/**
 * Ranges the SSA never issues: area 000, 666 or 900–999, group 00, serial 0000; plus the handful of numbers burned
 * by publicity (the Woolworth wallet card 078-05-1120, 219-09-9999 from an SSA pamphlet).
 */
export function usSsnValid(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  const whole = area + group + serial;
  return whole !== '078051120' && whole !== '219099999' && !/^(\d)\1{8}$/.test(whole) && whole !== '123456789';
}

/**
 * An ITIN starts with 9 and has a fourth-and-fifth-digit group in 50–65, 70–88, 90–92 or 94–99 (IRS ranges), which
 * keeps it apart from an SSN, whose area never starts with 9.
 */
export function usItinValid(area: string, group: string): boolean {
  if (area[0] !== '9') return false;
  const g = Number(group);
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}
