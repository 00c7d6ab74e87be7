import { IsOptional, Matches } from 'class-validator';

/** The line data of a membership card order (schema version 1). */
export class MembershipDetails {
  /** A member's code that referred this purchase, kept for the referral programme. */
  @IsOptional()
  @Matches(/^[A-Z0-9]{4,16}$/, { message: '$property must be 4 to 16 capital letters or digits' })
  referralCode?: string;
}
