import { createPreferenceProxy, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceService } from '@theia/core';
import { interfaces } from '@theia/core/shared/inversify';
import type { IJSONSchema } from '@theia/core/lib/common/json-schema';
import { PriceOverridesPreference } from '@coditect/workspace-backend/types';

export const CostCurrencyPreference = 'coditect.costs.currency';
export const CostExchangeRatePreference = 'coditect.costs.exchangeRate';
export const CostPriceOverridesPreference = PriceOverridesPreference;
export const CostStatusBarPreference = 'coditect.costs.showInStatusBar';

const priceEntry: IJSONSchema = {
    type: 'object',
    properties: {
        from: { type: 'string', description: 'From when this price applies: a date (2026-12-01, midnight UTC) or an ISO time. Without it, since always.' },
        input: { type: ['number', 'string'], description: 'USD per million input tokens (excluding cache reads and writes).' },
        output: { type: ['number', 'string'], description: 'USD per million output tokens (reasoning included).' },
        cacheRead: { type: ['number', 'string'], description: 'USD per million tokens read from the prompt cache (default: input).' },
        cacheWrite: { type: ['number', 'string'], description: 'USD per million tokens written to the prompt cache (default: input).' },
        longContext: { type: 'object', description: 'Prices of a whole request whose prompt has more than aboveTokens tokens: {"aboveTokens": 200000, "input": 6, "output": 22.5}.' },
        note: { type: 'string' },
    },
    required: ['input', 'output'],
    additionalProperties: false,
};

export const CostPreferenceSchema: PreferenceSchema = {
    properties: {
        [CostCurrencyPreference]: {
            type: 'string',
            default: 'USD',
            pattern: '^[A-Z]{3}$',
            patternErrorMessage: 'A three-letter ISO 4217 currency code, such as USD or EUR.',
            description: 'Costs: Currency. The currency the Cost Dashboard and the status bar show amounts in (ISO 4217 code). Vendors bill in US dollars; other currencies use the exchange rate below.',
        },
        [CostExchangeRatePreference]: {
            type: 'number',
            default: 1,
            exclusiveMinimum: 0,
            description: 'Costs: Exchange Rate. Units of the display currency per US dollar (for example 0.92 for EUR). Display only: the ledger and budgets stay in exact US dollars.',
        },
        [CostPriceOverridesPreference]: {
            type: 'object',
            default: {},
            additionalProperties: { oneOf: [priceEntry, { type: 'array', items: priceEntry }] },
            markdownDescription: 'Costs: Price Overrides. Model prices that replace the shipped list and `.coditect/prices.json`, as `{"model-id": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}}` in USD per million tokens, or a list of such entries with `from` dates for a price history. Applied to the workspace when an admin\'s studio connects or the value changes; put it in the Workspace settings so every admin shares one value. Ignored for non-admins.',
        },
        [CostStatusBarPreference]: {
            type: 'boolean',
            default: true,
            description: 'Costs: Show In Status Bar. Show today\'s spend in the status bar (click it for the Cost Dashboard).',
        },
    },
};

export interface CostConfiguration {
    [CostCurrencyPreference]: string;
    [CostExchangeRatePreference]: number;
    [CostPriceOverridesPreference]: Record<string, unknown>;
    [CostStatusBarPreference]: boolean;
}

export const CostPreferences = Symbol('CostPreferences');
export type CostPreferences = PreferenceProxy<CostConfiguration>;

export function bindCostPreferences(bind: interfaces.Bind): void {
    bind(CostPreferences).toDynamicValue(ctx => createPreferenceProxy(ctx.container.get(PreferenceService), CostPreferenceSchema)).inSingletonScope();
    bind(PreferenceContribution).toConstantValue({ schema: CostPreferenceSchema });
}
