/** The indicators a pivot or a dashboard names, checked against the catalogue: a field error for an unknown one or a cut it cannot take. */
import type { Deps } from '../../../platform/deps.js';
import { invalid } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n/messages.js';
import type { Dimension, IndicatorDef } from '../indicators/catalogue.js';
import { indicatorCatalogue } from '../indicators/engine.js';

export interface IndicatorInfo {
  code: string;
  name: string;
  unit: IndicatorDef['unit'];
  direction: IndicatorDef['direction'];
  def: IndicatorDef;
}

/** Every indicator of the catalogue by code: the built-in ones and the administrators'. */
export async function catalogueByCode(deps: Deps): Promise<Map<string, IndicatorDef>> {
  return new Map((await indicatorCatalogue(deps)).map((i) => [i.code, i]));
}

/** The definitions of `codes` in order; 400 naming the field for an unknown code or a dimension the indicator cannot be cut by. */
export async function checkIndicators(deps: Deps, codes: readonly string[], dimensions: readonly Dimension[], locale: Locale = 'zh-CN', field = 'body'): Promise<IndicatorInfo[]> {
  const byCode = await catalogueByCode(deps);
  return codes.map((code, i) => {
    const def = byCode.get(code);
    if (!def) throw invalid(`${field}.indicators.${i}`, 'statistics_unknown_indicator', { code });
    const j = dimensions.findIndex((d) => !def.dimensions.includes(d));
    if (j >= 0) throw invalid(`${field}.dimensions.${j}`, 'statistics_dimension_not_supported', { indicator: def.name[locale], dimension: dimensions[j] });
    return { code, name: def.name[locale], unit: def.unit, direction: def.direction, def };
  });
}
