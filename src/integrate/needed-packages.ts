/** Which packages this project needs from us: python-dotenv only where we add a load_dotenv. */
import { ALL_PACKAGES, type AuthkitPackage } from '../install/packages.js';
import type { PlanContext } from './context.js';

export function neededPackages(_ctx: Pick<PlanContext, 'model'>): AuthkitPackage[] {
  return [...ALL_PACKAGES];
}
