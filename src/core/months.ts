/**
 * Month names as strftime's `%b` prints them (shared by thpot's capture log, fail2ban's date reading
 * and the host check, which says in which locale a log was written). thpot writes `strftime("%b %d %T", localtime)`, so the
 * month follows the process's LC_TIME: English in the C/POSIX locale (what fail2ban reads), anything
 * else under another locale. The table below is glibc's `abmon` for common locales, captured with
 * `LC_ALL=<locale>.UTF-8 date +%b` from locales compiled with `localedef -i <locale> -f UTF-8`.
 * A month name in none of them is still recognised as "not the C locale's" by position; it just has
 * no known month number.
 */

/** The C locale's `%b`, January first. */
export const C_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** glibc `abmon` per locale (UTF-8), January first, exactly as `%b` prints them (padding included). */
export const LOCALE_MONTHS: Readonly<Record<string, readonly string[]>> = {
  de_DE: ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'],
  fr_FR: ['janv.', 'févr.', 'mars', 'avril', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  es_ES: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  it_IT: ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
  pt_BR: ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'],
  nl_NL: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  sv_SE: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  pl_PL: ['sty', 'lut', 'mar', 'kwi', 'maj', 'cze', 'lip', 'sie', 'wrz', 'paź', 'lis', 'gru'],
  cs_CZ: ['led', 'úno', 'bře', 'dub', 'kvě', 'čen', 'čec', 'srp', 'zář', 'říj', 'lis', 'pro'],
  hu_HU: ['jan', 'febr', 'márc', 'ápr', 'máj', 'jún', 'júl', 'aug', 'szept', 'okt', 'nov', 'dec'],
  fi_FI: ['tammi', 'helmi', 'maalis', 'huhti', 'touko', 'kesä', 'heinä', 'elo', 'syys', 'loka', 'marras', 'joulu'],
  tr_TR: ['Oca', 'Şub', 'Mar', 'Nis', 'May', 'Haz', 'Tem', 'Ağu', 'Eyl', 'Eki', 'Kas', 'Ara'],
  ru_RU: ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
  uk_UA: ['січ', 'лют', 'бер', 'кві', 'тра', 'чер', 'лип', 'сер', 'вер', 'жов', 'лис', 'гру'],
  el_GR: ['Ιαν', 'Φεβ', 'Μαρ', 'Απρ', 'Μαΐ', 'Ιουν', 'Ιουλ', 'Αυγ', 'Σεπ', 'Οκτ', 'Νοε', 'Δεκ'],
  ja_JP: [' 1月', ' 2月', ' 3月', ' 4月', ' 5月', ' 6月', ' 7月', ' 8月', ' 9月', '10月', '11月', '12月'],
  ko_KR: [' 1월', ' 2월', ' 3월', ' 4월', ' 5월', ' 6월', ' 7월', ' 8월', ' 9월', '10월', '11월', '12월'],
  zh_CN: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
  zh_TW: [' 1月', ' 2月', ' 3月', ' 4月', ' 5月', ' 6月', ' 7月', ' 8月', ' 9月', '10月', '11月', '12月'],
  vi_VN: ['Thg 1', 'Thg 2', 'Thg 3', 'Thg 4', 'Thg 5', 'Thg 6', 'Thg 7', 'Thg 8', 'Thg 9', 'Thg 10', 'Thg 11', 'Thg 12'],
  th_TH: ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'],
  he_IL: ['ינו', 'פבר', 'מרץ', 'אפר', 'מאי', 'יונ', 'יול', 'אוג', 'ספט', 'אוק', 'נוב', 'דצמ'],
  ar_EG: ['ينا', 'فبر', 'مار', 'أبر', 'ماي', 'يون', 'يول', 'أغس', 'سبت', 'أكت', 'نوف', 'ديس'],
};

/** What a month name as written tells. */
export interface MonthInfo {
  /** 1..12 when the name is known (C locale or a table locale, unambiguously); null otherwise. */
  readonly number: number | null;
  /** The name is exactly the C locale's: what thpot writes under LC_TIME=POSIX. */
  readonly c: boolean;
  /**
   * fail2ban reads the name: its date templates match `%b` case-insensitively against the English
   * (C locale) names, so `mar`, `jan` and `MAY` are read, `Mär`, `mai`, ` 2月` are not.
   */
  readonly fail2ban: boolean;
  /** Table locales whose `%b` prints this name (empty for the C locale and unknown names). */
  readonly locales: readonly string[];
}

const C_INDEX = new Map<string, number>(C_MONTHS.map((m, i) => [m, i + 1]));
const LOWER_INDEX = new Map<string, number>(C_MONTHS.map((m, i) => [m.toLowerCase(), i + 1]));

const LOCALE_INDEX = (() => {
  const byName = new Map<string, { numbers: Set<number>; locales: string[] }>();
  for (const [locale, names] of Object.entries(LOCALE_MONTHS)) {
    names.forEach((name, i) => {
      const key = name.trim();
      let e = byName.get(key);
      if (!e) byName.set(key, (e = { numbers: new Set(), locales: [] }));
      e.numbers.add(i + 1);
      e.locales.push(locale);
    });
  }
  return byName;
})();

const C_INFO = new Map<string, MonthInfo>(C_MONTHS.map((m, i) => [m, Object.freeze({ number: i + 1, c: true, fail2ban: true, locales: [] })]));

/** Looks a month name up (as written: padding is ignored for the lookup). */
export function monthInfo(name: string): MonthInfo {
  const c = C_INFO.get(name);
  if (c) return c;
  const key = name.trim();
  const entry = LOCALE_INDEX.get(key);
  const lower = LOWER_INDEX.get(key.toLowerCase());
  const fail2ban = lower !== undefined && key === name;
  let number: number | null = null;
  if (entry && entry.numbers.size === 1) number = [...entry.numbers][0]!;
  else if (!entry && lower !== undefined) number = lower;
  return { number, c: C_INDEX.has(name), fail2ban, locales: entry ? [...entry.locales] : [] };
}
