import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command } from 'commander';
import { isoTimestamp } from '../common/time';
import type { CreateUserDto } from '../users/dto/user.dto';
import { type User, USER_ROLES } from '../users/user.entity';
import { cliRepository, print, readStdin, withDatabase } from './context';
import { cliWorkspaces, requireWorkspace } from './key-commands';

/** Validation messages of the API's own DTO, one line per field. */
async function checkUser(input: Record<string, unknown>): Promise<CreateUserDto> {
  const { CreateUserDto } = require('../users/dto/user.dto') as typeof import('../users/dto/user.dto');
  const dto = plainToInstance(CreateUserDto, input);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length)
    throw new Error(
      errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`).join('\n'),
    );
  return dto;
}

export function registerUserCommands(program: Command): void {
  program
    .command('user:create')
    .description('Create a user of a workspace; the password (12+ characters) is read from standard input')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .requiredOption('--email <email>', 'email (unique in the workspace)')
    .requiredOption('--name <name>', 'display name')
    .option('--role <role>', `one of ${USER_ROLES.join(', ')}`, 'agent')
    .option('--no-password', 'create the user without a password (cannot sign in)')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        workspace: string;
        email: string;
        name: string;
        role: string;
        password: boolean;
        json?: boolean;
      }) => {
        const password = o.password ? await readStdin() : undefined;
        const dto = await checkUser({ name: o.name, email: o.email, role: o.role, password });
        await withDatabase(async ({ db }) => {
          // Loaded when the command runs (see key-commands.ts).
          const { ApiException } =
            require('../common/errors/api.exception') as typeof import('../common/errors/api.exception');
          const { UsersService } =
            require('../users/users.service') as typeof import('../users/users.service');
          const { UsersRepository } =
            require('../users/users.repository') as typeof import('../users/users.repository');
          const ws = await requireWorkspace(cliWorkspaces(db), o.workspace);
          let user: User;
          try {
            user = await new UsersService(cliRepository(db, UsersRepository)).create(ws.id, dto);
          } catch (err) {
            if (err instanceof ApiException && err.errors)
              throw new Error(Object.values(err.errors).flat().join('\n'), { cause: err });
            throw err;
          }
          print(
            !!o.json,
            {
              id: user.id,
              workspace_id: ws.id,
              name: user.name,
              email: user.email,
              role: user.role,
              has_password: !!password,
              created_at: isoTimestamp(user.createdAt),
            },
            () => `Created user ${user.id} <${user.email}> (${user.role}) in ${ws.slug}`,
          );
        });
      },
    );
}
