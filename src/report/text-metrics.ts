/**
 * Text widths for Vega's headless layout. Without a canvas Vega guesses 0.8 em per character,
 * far wider than real text, which leaves figures with wide empty margins. These are the advance
 * widths of DejaVu Sans and DejaVu Sans Bold (the report's first font; Verdana, its fallback, is
 * about as wide), in thousandths of an em, for ASCII 32..126 plus a few symbols the report uses,
 * read from the fonts' hmtx tables.
 */
const REGULAR: { out: number[]; extra: Record<string, number> } = {"out":[318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,636,636,636,636,337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,557,863,748,787,603,787,695,635,611,732,684,989,685,611,685,390,337,390,838,500,500,613,635,550,635,615,352,635,634,278,278,579,278,974,634,612,635,635,411,521,392,634,592,818,592,592,525,636,337,636,838],"extra":{"–":500,"—":1000,"×":838,"≈":838,"≠":838,"±":838,"√":637,"·":318,"…":1000,"−":838,"²":401}};
const BOLD: { out: number[]; extra: Record<string, number> } = {"out":[348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,696,696,696,696,400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,637,995,837,850,733,850,770,720,682,812,774,1103,771,724,725,457,365,457,838,500,500,675,716,593,716,678,435,716,712,343,343,665,343,1042,712,687,716,716,493,595,478,712,652,924,645,652,582,712,365,712,838],"extra":{"–":500,"—":1000,"×":838,"≈":838,"≠":838,"±":838,"√":667,"·":380,"…":1000,"−":838,"²":438}};

/** Width in pixels of `text` at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const t = bold ? BOLD : REGULAR;
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += c >= 32 && c < 127 ? t.out[c - 32] : (t.extra[ch] ?? (bold ? 700 : 640));
  }
  return (w / 1000) * fontSize;
}

/** The `textMetrics.width` function Vega calls: (item, text) -> pixels. */
export function vegaTextWidth(item: { fontSize?: number | string; fontWeight?: number | string; limit?: number }, text: unknown): number {
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const s = text == null ? '' : String(text).trim();
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && +weight >= 600);
  return textWidth(s, size, bold);
}
