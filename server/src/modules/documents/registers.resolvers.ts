import type { Resolvers } from '../../graphql/generated/resolvers';
import { badInput } from '../../shared/errors';

/** Registers (sổ) exist for văn bản đến / đi only; ARCHIVE documents are in the hồ sơ (modules/records). */
function registerDirection<D extends string | null | undefined>(d: D): Exclude<D, 'ARCHIVE'> {
  if (d === 'ARCHIVE') throw badInput('Tài liệu lưu trữ không có sổ đăng ký; xem danh mục hồ sơ.', 'direction');
  return d as Exclude<D, 'ARCHIVE'>;
}

/** Register views and the search across boxes (thin: parse arguments, call the services). */
export const registersResolvers: Resolvers = {
  Query: {
    registerEntries: (_p, { direction, year, registerKey, secret, filter, first, after }, { scope, services }) =>
      services.registers.registerEntries(scope, { direction: registerDirection(direction), year, registerKey, secret, filter, first, after }),
    registerBooks: (_p, { direction }, { scope, services }) => services.registers.registerBooks(scope, registerDirection(direction)),
    documentSearch: (_p, { search, direction, first, after }, { scope, services }) => services.inbox.search(scope, { search, direction: registerDirection(direction), first, after }),
  },
};
