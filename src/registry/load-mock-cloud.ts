import type * as MockCloudModule from '../../mocks/mock-cloud.ts';

export type { MockCloud, MockProvider } from '../../mocks/mock-cloud.ts';

/**
 * The mock cloud library (mocks/mock-cloud.ts) with its real types, loaded on use: only `lakefn mock` and the demo
 * need it, and no other command pays for loading it. Like providers/, mocks/ reaches src/ only through the registry.
 */
export async function loadMockCloud(): Promise<typeof MockCloudModule> {
  return import('../../mocks/mock-cloud.ts');
}
