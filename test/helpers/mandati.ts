/**
 * The mandato form as the browser posts it: every field sent, a commercial
 * debt with its CIG; `fields` changes or adds what a test is about.
 */
export function mandatoForm(
  base: { token: string; data: string; impegnoId: number; beneficiarioId: number; cigId: number },
  fields: Record<string, string> = {},
): Record<string, string> {
  return {
    _csrf: base.token,
    data: base.data,
    impegno_id: String(base.impegnoId),
    beneficiario_id: String(base.beneficiarioId),
    causale: 'Pagamento fattura',
    importo: '122,00',
    modalita_pagamento: 'SEPA CREDIT TRANSFER',
    tipo_debito: 'COMMERCIALE',
    cig_id: String(base.cigId),
    motivo_esclusione_cig: '',
    cup_id: '',
    note: '',
    ...fields,
  };
}
