/** Routes whose JSON body is also kept as received (signatures are computed over the exact bytes). */
export const RAW_BODY_PREFIX = '/api/v1/receivers/';

export { rawBodyOf } from '../../common/http/json-body';
