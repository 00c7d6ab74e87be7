import type { Pool } from 'pg';
import { CHANGE_CAPTURE_SQL, WRITE_FENCE_SQL } from './legacy-schema.sql';

/** Installs and inspects the triggers migrate-legacy puts on the legacy tables. */
export class CaptureInstaller {
  constructor(private readonly legacy: Pool) {}

  async installCapture(): Promise<void> {
    await this.legacy.query(CHANGE_CAPTURE_SQL);
  }

  async installFence(): Promise<void> {
    await this.legacy.query(WRITE_FENCE_SQL);
  }

  async captureInstalled(): Promise<boolean> {
    return this.hasTrigger('eos_capture_orders');
  }

  async fenceInstalled(): Promise<boolean> {
    return this.hasTrigger('eos_fence_orders');
  }

  private async hasTrigger(name: string): Promise<boolean> {
    const { rows } = await this.legacy.query(
      `SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE t.tgname = $1 AND c.relname = 'orders' AND c.relnamespace = 'public'::regnamespace`,
      [name],
    );
    return rows.length > 0;
  }
}
