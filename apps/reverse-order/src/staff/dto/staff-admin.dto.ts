import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DomainError, DomainErrorCode, Permission, StaffRole } from '@eos/domain';
import { IsDecimalId } from './decimal-id.validator';

const NOT_BLANK = /\S/;
const notBlank = { message: '$property must not be blank' };

export class StaffIdParams {
  @IsDecimalId()
  staffId!: string;
}

export class GrantParams extends StaffIdParams {
  @IsIn(Object.values(Permission), {
    message: `permission must be one of ${Object.values(Permission).join(', ')}`,
  })
  permission!: Permission;
}

export class ListStaffQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @IsDecimalId({ message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}

export class CreateStaffDto {
  @IsDecimalId()
  id!: string;

  @IsString()
  @Length(1, 100)
  @Matches(NOT_BLANK, notBlank)
  name!: string;

  @IsIn(Object.values(StaffRole))
  role!: StaffRole;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, notBlank)
  reason?: string;
}

export class GrantDto {
  /** Largest amount in cents the grant covers; absent or null: no ceiling. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  ceilingCents?: number | null;

  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, notBlank)
  reason!: string;
}

export class ReasonDto {
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, notBlank)
  reason!: string;
}

/** The reason of a revocation, which may come in the body or in the query (DELETE bodies are often dropped). */
export class OptionalReasonDto {
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, notBlank)
  reason?: string;
}

/** Exactly one reason, from the body or the query (the same one in both is fine). */
export function reasonOf(query: OptionalReasonDto, body: OptionalReasonDto): string {
  if (query.reason !== undefined && body.reason !== undefined && query.reason !== body.reason) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      'reason given twice, differently, in the body and the query',
    );
  }
  const reason = body.reason ?? query.reason;
  if (reason === undefined) throw new DomainError(DomainErrorCode.ValidationFailed, 'reason is required');
  return reason;
}
