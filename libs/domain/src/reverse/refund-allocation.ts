import { DomainError, DomainErrorCode } from '../domain.error';
import { assertCents } from '../money';

/** One line of an order as it was paid: its frozen line total, never today's menu price. */
export interface PaidLine {
  readonly lineNo: number;
  readonly quantity: number;
  readonly lineTotalCents: number;
}

function assertLines(lines: readonly PaidLine[]): void {
  const seen = new Set<number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.lineNo) || seen.has(line.lineNo)) {
      throw new DomainError(
        DomainErrorCode.ValidationFailed,
        `line number ${line.lineNo} is invalid or repeated`,
      );
    }
    seen.add(line.lineNo);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new DomainError(DomainErrorCode.ValidationFailed, `line ${line.lineNo} has an invalid quantity`);
    }
    assertCents(line.lineTotalCents, `line ${line.lineNo} total`);
  }
}

/**
 * Each line's share of `paidCents` (what was paid for the whole order: subtotal + fees - discount),
 * proportional to lineTotalCents; remainder cents by largest remainder, ties to the lower lineNo.
 * Sums exactly to paidCents. If every lineTotalCents is 0, split by quantity the same way.
 * Deterministic: the order of `lines` does not matter.
 *
 * Fees and discounts are spread over the lines so that refunding every line gives back exactly
 * what was paid, no more (the platform never pays out a discount twice) and no less.
 */
export function lineShares(paidCents: number, lines: readonly PaidLine[]): Map<number, number> {
  assertCents(paidCents, 'paid amount');
  assertLines(lines);
  const shares = new Map<number, number>();
  if (lines.length === 0) {
    if (paidCents === 0) return shares;
    throw new DomainError(DomainErrorCode.ValidationFailed, 'an order with no lines cannot have been paid');
  }
  const byTotal = lines.some((line) => line.lineTotalCents > 0);
  const weightOf = (line: PaidLine): bigint => BigInt(byTotal ? line.lineTotalCents : line.quantity);
  const totalWeight = lines.reduce((sum, line) => sum + weightOf(line), 0n);
  // bigint: paid x weight can pass 2^53 on a large order, and a rounding slip here is lost money.
  const paid = BigInt(paidCents);
  const parts = lines.map((line) => {
    const exact = paid * weightOf(line);
    return { lineNo: line.lineNo, floor: exact / totalWeight, remainder: exact % totalWeight };
  });
  let left = paid - parts.reduce((sum, part) => sum + part.floor, 0n);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.lineNo - b.lineNo : a.remainder > b.remainder ? -1 : 1,
  );
  for (const part of byRemainder) {
    const extra = left > 0n ? 1n : 0n;
    left -= extra;
    shares.set(part.lineNo, Number(part.floor + extra));
  }
  return new Map(lines.map((line) => [line.lineNo, shares.get(line.lineNo) ?? 0]));
}

/**
 * Cents for refunding `quantity` more units of a line whose share is `shareCents` over
 * `lineQuantity` units, `alreadyRefunded` units having been refunded before. Unit k (0-based) is
 * worth floor(share/qty) + (k < share % qty ? 1 : 0); this refunds units alreadyRefunded ..
 * alreadyRefunded+quantity-1. So any sequence of partial refunds of a line sums exactly to its share.
 */
export function unitsRefundCents(
  shareCents: number,
  lineQuantity: number,
  alreadyRefunded: number,
  quantity: number,
): number {
  assertCents(shareCents, 'line share');
  if (!Number.isSafeInteger(lineQuantity) || lineQuantity < 1) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'line quantity must be a positive integer');
  }
  if (!Number.isSafeInteger(alreadyRefunded) || alreadyRefunded < 0) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      'refunded quantity must be a non-negative integer',
    );
  }
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new DomainError(
      DomainErrorCode.QuantityOutOfRange,
      'quantity to refund must be a non-negative integer',
    );
  }
  const end = alreadyRefunded + quantity;
  if (end > lineQuantity) {
    throw new DomainError(
      DomainErrorCode.RefundExceedsPaid,
      `cannot refund ${quantity} more of ${lineQuantity} units, ${alreadyRefunded} already refunded`,
      { lineQuantity, alreadyRefunded, quantity },
    );
  }
  const base = Math.floor(shareCents / lineQuantity);
  const centsOver = shareCents % lineQuantity;
  // Units below `centsOver` carry one extra cent each; count those in [alreadyRefunded, end).
  const extra = Math.max(0, Math.min(end, centsOver) - alreadyRefunded);
  return base * quantity + extra;
}

export interface RefundLineRequest {
  readonly lineNo: number;
  readonly quantity: number;
}

export interface RefundableLine extends PaidLine {
  readonly itemId: string;
  readonly refundedQuantity: number;
}

export interface PricedRefundLine {
  readonly lineNo: number;
  readonly itemId: string;
  readonly quantity: number;
  readonly amountCents: number;
}

export interface PricedRefund {
  readonly lines: readonly PricedRefundLine[];
  readonly amountCents: number;
}

function remainingOf(line: RefundableLine): number {
  if (
    !Number.isSafeInteger(line.refundedQuantity) ||
    line.refundedQuantity < 0 ||
    line.refundedQuantity > line.quantity
  ) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      `line ${line.lineNo} has an invalid refunded quantity`,
    );
  }
  return line.quantity - line.refundedQuantity;
}

function wholeRemainder(lines: readonly RefundableLine[]): RefundLineRequest[] {
  return [...lines]
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((line) => ({ lineNo: line.lineNo, quantity: remainingOf(line) }))
    .filter((request) => request.quantity > 0);
}

function checkRequest(
  request: readonly RefundLineRequest[],
  linesByNo: ReadonlyMap<number, RefundableLine>,
): void {
  if (request.length === 0) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'a refund of some lines needs at least one line');
  }
  const seen = new Set<number>();
  for (const wanted of request) {
    if (!Number.isSafeInteger(wanted.quantity) || wanted.quantity < 1) {
      throw new DomainError(
        DomainErrorCode.QuantityOutOfRange,
        `quantity to refund of line ${wanted.lineNo} must be a positive integer`,
        { lineNo: wanted.lineNo, quantity: wanted.quantity },
      );
    }
    if (seen.has(wanted.lineNo)) {
      throw new DomainError(
        DomainErrorCode.DuplicateItem,
        `line ${wanted.lineNo} appears twice in the refund`,
        {
          lineNo: wanted.lineNo,
        },
      );
    }
    seen.add(wanted.lineNo);
    const line = linesByNo.get(wanted.lineNo);
    if (line === undefined) {
      throw new DomainError(DomainErrorCode.ItemNotFound, `the order has no line ${wanted.lineNo}`, {
        lineNo: wanted.lineNo,
      });
    }
    const remaining = remainingOf(line);
    if (wanted.quantity > remaining) {
      throw new DomainError(
        DomainErrorCode.RefundExceedsPaid,
        `cannot refund ${wanted.quantity} of item ${line.itemId}: ${remaining} of ${line.quantity} remain refundable`,
        { lineNo: line.lineNo, itemId: line.itemId, requested: wanted.quantity, remaining },
      );
    }
  }
}

/**
 * Prices a refund of some lines (request given) or of every remaining unit of every line (request
 * undefined), at the prices the order was paid with. Throws DomainError: QUANTITY_OUT_OF_RANGE for
 * quantity < 1 or not an integer, DUPLICATE_ITEM for a line twice, ITEM_NOT_FOUND for an unknown
 * lineNo, REFUND_EXCEEDS_PAID when quantity > quantity - refundedQuantity, or when nothing remains to
 * refund: no unit left, or the units asked for are worth 0 cents (a refund pays out money, and the
 * refunds table holds only positive amounts). VALIDATION_FAILED for an empty request.
 * Lines with nothing to refund are left out of the result.
 *
 * `paidCents` is what the order's lines were paid (its total), not money that arrived twice:
 * a duplicate payment is refunded on its own, outside the lines.
 */
export function priceRefund(
  paidCents: number,
  lines: readonly RefundableLine[],
  request?: readonly RefundLineRequest[],
): PricedRefund {
  const shares = lineShares(paidCents, lines);
  const linesByNo = new Map(lines.map((line) => [line.lineNo, line]));
  let wanted: readonly RefundLineRequest[];
  if (request === undefined) {
    wanted = wholeRemainder(lines);
  } else {
    checkRequest(request, linesByNo);
    wanted = request;
  }
  const priced = wanted.map((item): PricedRefundLine => {
    const line = linesByNo.get(item.lineNo);
    if (line === undefined) throw new Error(`line ${item.lineNo} vanished while pricing`);
    const share = shares.get(item.lineNo) ?? 0;
    return {
      lineNo: line.lineNo,
      itemId: line.itemId,
      quantity: item.quantity,
      amountCents: unitsRefundCents(share, line.quantity, line.refundedQuantity, item.quantity),
    };
  });
  const amountCents = priced.reduce((sum, line) => sum + line.amountCents, 0);
  if (amountCents === 0) {
    throw new DomainError(
      DomainErrorCode.RefundExceedsPaid,
      priced.length === 0
        ? 'nothing remains to refund on this order'
        : 'the units asked for were paid nothing',
      { amountCents },
    );
  }
  return { lines: priced, amountCents };
}
