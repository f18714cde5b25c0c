import { formatMinor } from '../../pricing/domain/money';
import type { InvoiceView } from '../application/invoices.service';

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A printable invoice or credit note (the browser prints it to PDF). Every value from data is escaped. */
export function renderInvoiceHtml(inv: InvoiceView): string {
  const title = inv.kind === 'credit-note' ? 'Credit note' : 'Invoice';
  const money = (m: number) => `${formatMinor(m)} ${escape(inv.currency)}`;
  const rows = inv.lines
    .map(
      (l) =>
        `<tr><td>${escape(l.description)}${l.noCharge ? ` <em>(${escape(l.noCharge)})</em>` : ''}</td>` +
        `<td class="n">${l.qty}</td><td class="n">${money(l.unitPrice)}</td><td class="n">${money(l.amount)}</td></tr>`,
    )
    .join('\n');
  const payments = inv.payments
    .map(
      (p) =>
        `<li>${escape(p.method)} ${money(p.amount)} on ${escape(p.recordedAt)}` +
        `${p.method === 'cash-on-site' ? (p.handedOverAt ? `, handed over ${escape(p.handedOverAt)}` : ', to hand over') : ''}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} ${escape(inv.invoiceNo)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:4px}.n{text-align:right}@media print{button{display:none}}</style>
</head><body>
<h1>${title} ${escape(inv.invoiceNo)}</h1>
<p>Branch ${escape(inv.branchId)} · issued ${escape(inv.issuedAt)} · category ${escape(inv.category)}${inv.voucherNo ? ` · voucher ${escape(inv.voucherNo)}` : ''}</p>
<p>${escape(inv.customer.name)}${inv.customer.address ? `<br>${escape(inv.customer.address)}` : ''}</p>
${inv.coverageNote ? `<p>${escape(inv.coverageNote)}</p>` : ''}${inv.reason ? `<p>Reason: ${escape(inv.reason)}</p>` : ''}
<table><thead><tr><th>Description</th><th class="n">Qty</th><th class="n">Unit price</th><th class="n">Amount</th></tr></thead>
<tbody>
${rows}
</tbody><tfoot><tr><th colspan="3" class="n">Total</th><th class="n">${money(inv.total)}</th></tr></tfoot></table>
${payments ? `<h2>Payments</h2><ul>${payments}</ul>` : ''}
<p>Status: ${escape(inv.status)} · balance ${money(inv.balanceMinor)}</p>
</body></html>
`;
}
