import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../common/auth/auth.decorators';
import { IdParam } from '../common/crud/id.pipe';
import {
  ApiCreateResponses,
  ApiDeleteResponses,
  ApiErrorResponses,
  ApiPageResponse,
  ApiShowResponses,
  ApiUpdateResponses,
} from '../common/docs/api-responses';
import { paginated, PaginatedResponse } from '../common/pagination/paginated-response';
import { RequestUrl } from '../common/pagination/request-url.decorator';
import { CreateUserDto, UpdateUserDto, UserFiltersDto } from './dto/user.dto';
import { UserResponse } from './dto/user.response';
import { toUserResponse, UsersService } from './users.service';

const PASSWORD_NOTE = 'A `password` is stored only as an argon2id hash and is never returned.';

@ApiTags('Users')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Scopes('read:users')
  @ApiOperation({ summary: 'List users' })
  @ApiPageResponse(UserResponse)
  @ApiErrorResponses(422)
  async listUsers(
    @WorkspaceId() ws: number,
    @Query() q: UserFiltersDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<UserResponse>> {
    return paginated(await this.users.list(ws, q), q, url, toUserResponse);
  }

  @Post()
  @Scopes('write:users')
  @ApiOperation({
    summary: 'Create a user',
    description: `An email already used in the workspace (case-insensitive) is a 422. ${PASSWORD_NOTE}`,
  })
  @ApiCreateResponses(UserResponse)
  async createUser(@WorkspaceId() ws: number, @Body() dto: CreateUserDto): Promise<{ data: UserResponse }> {
    return { data: toUserResponse(await this.users.create(ws, dto)) };
  }

  @Get(':id')
  @Scopes('read:users')
  @ApiOperation({ summary: 'Get a user' })
  @ApiShowResponses(UserResponse)
  async getUser(@WorkspaceId() ws: number, @IdParam() id: number): Promise<{ data: UserResponse }> {
    return { data: toUserResponse(await this.users.get(ws, id)) };
  }

  @Put(':id')
  @Scopes('write:users')
  @ApiOperation({ summary: 'Update a user', description: `Partial update, like PATCH. ${PASSWORD_NOTE}` })
  @ApiUpdateResponses(UserResponse)
  async replaceUser(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdateUserDto,
  ): Promise<{ data: UserResponse }> {
    return { data: toUserResponse(await this.users.update(ws, id, dto)) };
  }

  @Patch(':id')
  @Scopes('write:users')
  @ApiOperation({ summary: 'Update a user (partial)', description: PASSWORD_NOTE })
  @ApiUpdateResponses(UserResponse)
  async updateUser(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdateUserDto,
  ): Promise<{ data: UserResponse }> {
    return { data: toUserResponse(await this.users.update(ws, id, dto)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('delete:users')
  @ApiOperation({
    summary: 'Delete a user',
    description:
      'Their leads become unassigned. The last active admin of a workspace cannot be deleted (422), nor demoted or ' +
      'deactivated by an update.',
  })
  @ApiDeleteResponses()
  @ApiErrorResponses(422)
  async deleteUser(@WorkspaceId() ws: number, @IdParam() id: number): Promise<void> {
    await this.users.remove(ws, id);
  }
}
