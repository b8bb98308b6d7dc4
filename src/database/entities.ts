import { ApiKey } from '../api-keys/api-key.entity';
import { Workspace } from '../workspaces/workspace.entity';

/** Every entity, for the app, the CLI and the TypeORM CLI data source. */
export const ENTITIES = [Workspace, ApiKey];
