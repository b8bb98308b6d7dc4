import { Platform1764000000000 } from './1764000000000-Platform';
import { CoreModel1764000100000 } from './1764000100000-CoreModel';
import { StagePositions1764000300000 } from './1764000300000-StagePositions';
import { Integrations1764000400000 } from './1764000400000-Integrations';
import { Automations1764000410000 } from './1764000410000-Automations';

/** Every migration, in order; listed explicitly so the build, the CLI and the tests run the same set. */
export const MIGRATIONS = [
  Platform1764000000000,
  CoreModel1764000100000,
  StagePositions1764000300000,
  Integrations1764000400000,
  Automations1764000410000,
];
