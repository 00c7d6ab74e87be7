import { Inject, Injectable, Logger } from '@nestjs/common';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { StaffDirectory } from '../staff/staff.directory';

/** A working shift: long enough not to interrupt a demo, short enough not to linger. */
export const DEV_SIGN_IN_TOKEN_SECONDS = 8 * 3600;

export interface DevSignInToken {
  readonly token: string;
  readonly staffId: string;
  readonly expiresAt: string;
}

/** Whether anyone may sign in by staff id alone: never in production. */
export function devSignInAvailable(nodeEnv: string): boolean {
  return nodeEnv !== 'production';
}

/**
 * Development sign-in: a staff token for an existing, active staff member, by id alone, as
 * `npm run token -- staff <id>` prints one. The token is an ordinary staff token: every route still
 * checks the member's grants on every request.
 */
@Injectable()
export class DevSignIn {
  private readonly logger = new Logger('DevSignIn');

  constructor(
    @Inject(EOS_CONFIG) private readonly config: EosConfig,
    private readonly directory: StaffDirectory,
  ) {}

  get available(): boolean {
    return devSignInAvailable(this.config.NODE_ENV);
  }

  async signIn(staffId: string, now: Date = new Date()): Promise<DevSignInToken> {
    const member = await this.directory.grantsOf(staffId);
    if (!member)
      throw new DomainError(DomainErrorCode.StaffNotFound, `staff member ${staffId} does not exist`);
    if (!member.active) {
      throw new DomainError(DomainErrorCode.PermissionDenied, `staff member ${staffId} is deactivated`);
    }
    this.logger.warn(`development sign-in as staff member ${staffId} (${member.role})`);
    return {
      token: mintToken(this.config.JWT_SECRET, 'staff', staffId, DEV_SIGN_IN_TOKEN_SECONDS),
      staffId,
      expiresAt: new Date(now.getTime() + DEV_SIGN_IN_TOKEN_SECONDS * 1000).toISOString(),
    };
  }
}
