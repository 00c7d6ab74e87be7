import 'reflect-metadata';
import { NotFoundException } from '@nestjs/common';
import { DevSignInController } from './dev-sign-in.controller';
import type { DevSignIn } from './dev-sign-in.service';

function controller(available: boolean): { controller: DevSignInController; signIns: string[] } {
  const signIns: string[] = [];
  const devSignIn = {
    available,
    signIn: async (staffId: string) => {
      signIns.push(staffId);
      return { token: 't', staffId, expiresAt: '2026-12-04T00:00:00.000Z' };
    },
  } as unknown as DevSignIn;
  return { controller: new DevSignInController(devSignIn), signIns };
}

describe('DevSignInController', () => {
  it('answers as if it did not exist in production, and signs nobody in', async () => {
    const { controller: production, signIns } = controller(false);
    expect(() => production.availability()).toThrow(NotFoundException);
    expect(() => production.signIn({ staffId: '3' })).toThrow(NotFoundException);
    expect(signIns).toEqual([]);
  });

  it('offers sign-in by staff id elsewhere', async () => {
    const { controller: development, signIns } = controller(true);
    expect(development.availability()).toEqual({ available: true });
    await expect(development.signIn({ staffId: '3' })).resolves.toMatchObject({ staffId: '3' });
    expect(signIns).toEqual(['3']);
  });
});
