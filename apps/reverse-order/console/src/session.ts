const TOKEN_KEY = 'eos.console.staff-token';

/**
 * The staff token of this browser tab. sessionStorage: it ends with the tab and is not sent with
 * every request the way a cookie is (so no cross-site request can use it).
 */
export const session = {
  token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  save(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};
