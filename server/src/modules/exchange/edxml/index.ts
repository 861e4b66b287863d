/**
 * edXML codec (QCVN 102:2016/BTTTT): one pure module — no database, no services.
 *
 *   const { value, stored, warnings } = await parseEdxml(readable, new StorageSink(storage));
 *   const problems = validateEdxml(value, { now: new Date() });   // [] = acceptable; else status 02 with
 *   rejectionReason(problems)
 *   for await (const piece of buildEdxml(value, (att, i) => storage.get(keys[i]))) out.write(piece);
 *
 * Reading is streaming (saxes; attachment base64 decoded into a sink as it arrives) and refuses hostile
 * input with a precise reason (EdxmlParseError: element path + rule). See parse.ts, build.ts, model.ts.
 */
export * from './model';
export * from './formats';
export { EdxmlParseError, DEFAULT_PARSE_LIMITS, type EdxmlParseLimits } from './errors';
export { parseEdxml, type ParseOptions, type ParseResult, type EdxmlInput } from './parse';
export { buildEdxml, buildEdxmlString, EdxmlBuildError, type AttachmentSource, type BuildAttachment } from './build';
export { validateEdxml, type ValidateOptions } from './validate';
export { responseForDocument, statusMessage, rejectionStatus, type StatusInput } from './status';
export {
  DigestSink,
  DirectorySink,
  StorageSink,
  makeTempDir,
  type AttachmentSink,
  type AttachmentWriter,
  type AttachmentBeginMeta,
  type DigestResult,
  type FileResult,
} from './sinks';
