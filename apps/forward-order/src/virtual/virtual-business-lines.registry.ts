import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DomainError, DomainErrorCode, VirtualCatalogue } from '@eos/domain';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import {
  VIRTUAL_BUSINESS_LINES,
  VirtualBusinessLine,
  VirtualFulfilmentHandler,
} from './virtual-business-line';

const LINE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A configured line, ready to sell: its catalogue for pricing and its handler instance. */
export interface RegisteredLine {
  readonly line: VirtualBusinessLine;
  readonly catalogue: VirtualCatalogue;
  readonly handler: VirtualFulfilmentHandler;
}

/**
 * Refuses a configuration that cannot be sold from, at start, naming the line: a bad or repeated
 * id, no products, a repeated or malformed sku, a price or period that is not whole and positive.
 */
export function assertBusinessLines(lines: readonly VirtualBusinessLine[]): void {
  const ids = new Set<string>();
  for (const line of lines) {
    const where = `virtual business line ${JSON.stringify(line.id)}`;
    if (!LINE_ID.test(line.id)) throw new Error(`${where}: the id must be lowercase words joined by "-"`);
    if (ids.has(line.id)) throw new Error(`${where} is configured twice`);
    ids.add(line.id);
    if (line.products.length === 0) throw new Error(`${where} sells nothing`);
    const skus = new Set<string>();
    for (const product of line.products) {
      if (!SKU.test(product.sku) || skus.has(product.sku)) {
        throw new Error(`${where}: sku ${JSON.stringify(product.sku)} is malformed or repeated`);
      }
      skus.add(product.sku);
      if (!Number.isSafeInteger(product.unitPriceCents) || product.unitPriceCents <= 0) {
        throw new Error(`${where}: ${product.sku} needs a price of whole, positive cents`);
      }
      if (
        product.periodDays !== undefined &&
        (!Number.isInteger(product.periodDays) || product.periodDays < 1)
      ) {
        throw new Error(`${where}: ${product.sku} needs a period of whole, positive days`);
      }
    }
    if (!Number.isInteger(line.details.version) || line.details.version < 1) {
      throw new Error(`${where}: the details schema version must be a positive integer`);
    }
  }
}

function problems(errors: ValidationError[], path: string): string[] {
  return errors.flatMap((error) => {
    const where = `${path}.${error.property}`;
    return [
      ...Object.values(error.constraints ?? {}).map((message) =>
        message.startsWith(error.property) ? `${path}.${message}` : `${where}: ${message}`,
      ),
      ...problems(error.children ?? [], where),
    ];
  });
}

/**
 * The virtual business lines this app sells, built from the VIRTUAL_BUSINESS_LINES configuration:
 * each handler class is instantiated with this module's providers injected, so a new line needs
 * no provider list of its own.
 */
@Injectable()
export class VirtualBusinessLines implements OnModuleInit {
  private readonly registered = new Map<string, RegisteredLine>();

  constructor(
    @Inject(VIRTUAL_BUSINESS_LINES) private readonly lines: readonly VirtualBusinessLine[],
    private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    assertBusinessLines(this.lines);
    for (const line of this.lines) {
      this.registered.set(line.id, {
        line,
        catalogue: {
          businessLine: line.id,
          currency: line.currency,
          products: line.products,
          ...(line.spendAndSave ? { spendAndSave: line.spendAndSave } : {}),
        },
        handler: await this.moduleRef.create(line.handler),
      });
    }
  }

  ids(): string[] {
    return [...this.registered.keys()];
  }

  /** The line a stored order names, or undefined when this instance does not sell it. */
  find(id: string): RegisteredLine | undefined {
    return this.registered.get(id);
  }

  /** The line a customer asks for; one not configured is BUSINESS_LINE_NOT_FOUND. */
  get(id: string): RegisteredLine {
    const found = this.registered.get(id);
    if (!found) {
      throw new DomainError(
        DomainErrorCode.BusinessLineNotFound,
        `no virtual business line ${JSON.stringify(id)}; lines sold: ${this.ids().join(', ')}`,
        { businessLine: id },
      );
    }
    return found;
  }

  /**
   * Checks an order's `details` against its line's schema, unknown fields refused, and returns
   * them as they will be stored. Refusals are VALIDATION_FAILED naming each bad field.
   */
  validateDetails(
    registered: RegisteredLine,
    details: Record<string, unknown> | undefined,
  ): Record<string, unknown> {
    const raw = details ?? {};
    const instance = plainToInstance(registered.line.details.schema, raw);
    const errors = validateSync(instance, {
      whitelist: true,
      forbidNonWhitelisted: true,
      // A line may take no details at all: a class without decorators is valid, and still refuses fields.
      forbidUnknownValues: false,
    });
    if (errors.length > 0) {
      throw new DomainError(DomainErrorCode.ValidationFailed, problems(errors, 'details').join('; '), {
        businessLine: registered.line.id,
      });
    }
    return raw;
  }
}
