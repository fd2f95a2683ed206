import { useCallback, useEffect, useState } from 'react';

/**
 * Light and dark follow the system (prefers-color-scheme) until the user picks one. The choice is kept in
 * localStorage (it is not secret) and applied as `data-theme` on <html>, which the stylesheet reads.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'quarry.theme';

function read(): ThemeChoice {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function applyStoredTheme(): void {
  apply(read());
}

function apply(choice: ThemeChoice) {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
}

const media = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The choice, the theme actually shown, and a toggle that flips what is shown (and so leaves "system"). */
export function useTheme(): { choice: ThemeChoice; effective: 'light' | 'dark'; toggle: () => void; setChoice: (c: ThemeChoice) => void } {
  const [choice, setChoiceState] = useState<ThemeChoice>(read);
  const [systemDark, setSystemDark] = useState(() => media().matches);
  useEffect(() => {
    const m = media();
    const on = () => setSystemDark(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  const setChoice = useCallback((c: ThemeChoice) => {
    try {
      if (c === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, c);
    } catch {
      // Not kept across loads when storage is off; still applied now.
    }
    apply(c);
    setChoiceState(c);
  }, []);
  const effective = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  const toggle = useCallback(() => setChoice(effective === 'dark' ? 'light' : 'dark'), [effective, setChoice]);
  return { choice, effective, toggle, setChoice };
}
