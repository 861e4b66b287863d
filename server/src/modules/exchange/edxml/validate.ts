/**
 * Business rules of an edXML package as pure functions: `validateEdxml(value, {now})` → problems (empty = valid).
 * Each problem names the element path and the rule; its Vietnamese text is what goes back in status 02
 * (`rejectionReason`). Length limits are the intended maxima of Bkav's checker (vn-standards.md §2.2).
 */
import { isOrganId, parseDocumentId, vietnamToday } from './formats';
import {
  BUSINESS_DOC_TYPES,
  isStatusCode,
  type EdxmlAttachmentMeta,
  type EdxmlDocumentPackage,
  type EdxmlOrganization,
  type EdxmlPackage,
  type EdxmlProblem,
  type EdxmlStatusPackage,
} from './model';

export interface ValidateOptions {
  /** "Today" for PromulgationDate ≤ today (Vietnam date). */
  now: Date;
}

type Add = (path: string, rule: string, vi: string, en: string) => void;

function required(add: Add, path: string, v: unknown, label: string): boolean {
  if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) {
    add(path, 'required', `Thiếu ${label}`, `${path} is required`);
    return false;
  }
  return true;
}

function maxLen(add: Add, path: string, v: string | undefined, max: number, label: string): void {
  if (v !== undefined && [...v].length > max) add(path, 'max-length', `${label} dài quá ${max} ký tự`, `${path} longer than ${max} characters`);
}

function organId(add: Add, path: string, v: string | undefined, label: string): void {
  if (!required(add, path, v, label)) return;
  if (!isOrganId(v!)) {
    add(path, 'organ-id', `${label} "${v}" không đúng dạng mã định danh (vd. 000.00.00.H27)`, `${path} "${v}" is not an agency identifier code (e.g. 000.00.00.H27)`);
  }
}

function organization(add: Add, path: string, o: EdxmlOrganization, label: string): void {
  organId(add, `${path}/OrganId`, o.organId, `mã định danh ${label}`);
  maxLen(add, `${path}/OrganizationInCharge`, o.organizationInCharge, 200, `Đơn vị chủ quản của ${label}`);
  maxLen(add, `${path}/OrganName`, o.organName, 200, `Tên ${label}`);
  maxLen(add, `${path}/OrganAdd`, o.organAdd, 250, `Địa chỉ ${label}`);
  maxLen(add, `${path}/Email`, o.email, 100, `Email ${label}`);
  maxLen(add, `${path}/Telephone`, o.telephone, 20, `Điện thoại ${label}`);
  maxLen(add, `${path}/Fax`, o.fax, 20, `Fax ${label}`);
  maxLen(add, `${path}/Website`, o.website, 100, `Website ${label}`);
}

function documentId(add: Add, path: string, v: string | undefined, isRequired: boolean): void {
  if (v === undefined) {
    if (isRequired) required(add, path, v, 'mã văn bản DocumentId');
    return;
  }
  if (!parseDocumentId(v)) {
    add(path, 'document-id', `DocumentId "${v}" không đúng dạng MãĐịnhDanh,yyyy/MM/dd,Số/KýHiệu`, `DocumentId "${v}" is not OrganId,yyyy/MM/dd,Number/Notation`);
  }
}

export function validateEdxml(v: EdxmlPackage<EdxmlAttachmentMeta>, opts: ValidateOptions): EdxmlProblem[] {
  const problems: EdxmlProblem[] = [];
  const add: Add = (path, rule, vi, en) => problems.push({ path, rule, vi, en });
  if (v.kind === 'status') validateStatus(add, v);
  else validateDocument(add, v, opts);
  return problems;
}

function validateStatus(add: Add, v: EdxmlStatusPackage): void {
  organization(add, 'MessageHeader/From', v.from, 'đơn vị gửi');
  if (required(add, 'MessageHeader/StatusCode', v.statusCode, 'mã trạng thái StatusCode') && !isStatusCode(v.statusCode!)) {
    add('MessageHeader/StatusCode', 'status-code', `Mã trạng thái "${v.statusCode}" không thuộc 01–06, 13, 15, 16`, `status code "${v.statusCode}" is not one of 01–06, 13, 15, 16`);
  }
  if (required(add, 'MessageHeader/ResponseFor', v.responseFor, 'văn bản được báo trạng thái (ResponseFor)')) {
    v.responseFor.forEach((r, i) => {
      const p = `MessageHeader/ResponseFor[${i + 1}]`;
      documentId(add, `${p}/DocumentId`, r.documentId, true);
      if (r.organId !== undefined) organId(add, `${p}/OrganId`, r.organId, 'mã định danh đơn vị ban hành');
    });
  }
  if ((v.statusCode === '02' || v.statusCode === '16') && !v.description) {
    add('MessageHeader/Description', 'reason-required', 'Trạng thái từ chối phải kèm lý do (Description)', 'a refusal status needs a reason (Description)');
  }
  maxLen(add, 'MessageHeader/Description', v.description, 2000, 'Mô tả trạng thái');
  required(add, 'MessageHeader/Timestamp', v.timestamp, 'thời điểm Timestamp');
}

function validateDocument(add: Add, v: EdxmlDocumentPackage<EdxmlAttachmentMeta>, opts: ValidateOptions): void {
  const h = v.header;
  organization(add, 'MessageHeader/From', h.from, 'đơn vị gửi');
  if (required(add, 'MessageHeader/To', h.to, 'nơi nhận (To)')) {
    const seen = new Set<string>();
    h.to.forEach((t, i) => {
      organization(add, `MessageHeader/To[${i + 1}]`, t, 'nơi nhận');
      if (t.organId && seen.has(t.organId)) add(`MessageHeader/To[${i + 1}]/OrganId`, 'duplicate', `Nơi nhận ${t.organId} bị lặp`, `recipient ${t.organId} appears twice`);
      if (t.organId) seen.add(t.organId);
    });
  }
  documentId(add, 'MessageHeader/DocumentId', h.documentId, true);
  if (required(add, 'MessageHeader/Code/CodeNumber', h.code?.codeNumber, 'số văn bản (CodeNumber)') && !/^\d{1,11}$/.test(h.code!.codeNumber!)) {
    add('MessageHeader/Code/CodeNumber', 'digits', `Số văn bản "${h.code!.codeNumber}" chỉ gồm chữ số, tối đa 11 chữ số`, `CodeNumber "${h.code!.codeNumber}" must be 1–11 digits`);
  }
  if (required(add, 'MessageHeader/Code/CodeNotation', h.code?.codeNotation, 'ký hiệu văn bản (CodeNotation)')) {
    maxLen(add, 'MessageHeader/Code/CodeNotation', h.code!.codeNotation, 30, 'Ký hiệu văn bản');
  }
  const pd = h.promulgationInfo?.promulgationDate;
  if (required(add, 'MessageHeader/PromulgationInfo/PromulgationDate', pd, 'ngày ban hành') && pd! > vietnamToday(opts.now)) {
    add('MessageHeader/PromulgationInfo/PromulgationDate', 'not-future', `Ngày ban hành ${pd} sau ngày hôm nay`, `promulgation date ${pd} is after today`);
  }
  maxLen(add, 'MessageHeader/PromulgationInfo/Place', h.promulgationInfo?.place, 50, 'Địa danh');
  maxLen(add, 'MessageHeader/DocumentType/TypeName', h.documentType?.typeName, 100, 'Tên loại văn bản');
  if (required(add, 'MessageHeader/Subject', h.subject, 'trích yếu (Subject)')) maxLen(add, 'MessageHeader/Subject', h.subject, 500, 'Trích yếu');
  maxLen(add, 'MessageHeader/Content', h.content, 500, 'Nội dung tóm tắt');
  maxLen(add, 'MessageHeader/SignerInfo/Competence', h.signerInfo?.competence, 100, 'Thẩm quyền ký');
  maxLen(add, 'MessageHeader/SignerInfo/Position', h.signerInfo?.position, 100, 'Chức vụ người ký');
  maxLen(add, 'MessageHeader/SignerInfo/FullName', h.signerInfo?.fullName, 50, 'Họ tên người ký');
  const pr = h.otherInfo?.priority;
  if (pr !== undefined && (pr < 0 || pr > 4)) add('MessageHeader/OtherInfo/Priority', 'enum', `Độ khẩn ${pr} không thuộc 0–4`, `Priority ${pr} is not 0–4`);
  for (const [k, n] of [['PromulgationAmount', h.otherInfo?.promulgationAmount], ['PageAmount', h.otherInfo?.pageAmount]] as const) {
    if (n !== undefined && (n < 0 || n > 65535)) add(`MessageHeader/OtherInfo/${k}`, 'range', `${k} phải trong khoảng 0–65535`, `${k} must be 0–65535`);
  }
  h.toPlaces?.forEach((p, i) => maxLen(add, `MessageHeader/ToPlaces/Place[${i + 1}]`, p, 150, 'Nơi nhận'));
  h.responseFor.forEach((r, i) => documentId(add, `MessageHeader/ResponseFor[${i + 1}]/DocumentId`, r.documentId, false));

  // Nghiệp vụ: 0 mới, 1 thu hồi, 2 cập nhật, 3 thay thế.
  const b = v.business;
  const bp = 'TraceHeaderList/Bussiness';
  if (!required(add, `${bp}/BussinessDocType`, b?.businessDocType, 'loại nghiệp vụ (BussinessDocType)')) return validateAttachments(add, v, true);
  const t = b!.businessDocType!;
  if (!(Object.values(BUSINESS_DOC_TYPES) as number[]).includes(t)) {
    add(`${bp}/BussinessDocType`, 'enum', `Loại nghiệp vụ ${t} không thuộc 0 (mới), 1 (thu hồi), 2 (cập nhật), 3 (thay thế)`, `BussinessDocType ${t} is not 0 (new), 1 (revoke), 2 (update), 3 (replace)`);
    return validateAttachments(add, v, true);
  }
  if (b!.documentId !== undefined) documentId(add, `${bp}/DocumentId`, b!.documentId, false);
  if (t !== BUSINESS_DOC_TYPES.NEW) required(add, `${bp}/BussinessDocReason`, b!.businessDocReason, 'lý do (BussinessDocReason) của thu hồi / cập nhật / thay thế');
  if (t === BUSINESS_DOC_TYPES.UPDATE) {
    const info = b!.documentInfo;
    if (required(add, `${bp}/BussinessDocumentInfo`, info, 'thông tin cập nhật (BussinessDocumentInfo)')) {
      if (info!.documentReceiver === 1 && !info!.receivers.length) {
        add(`${bp}/BussinessDocumentInfo/ReceiverList`, 'required', 'Đổi nơi nhận (DocumentReceiver = 1) nhưng không có ReceiverList', 'DocumentReceiver = 1 but no ReceiverList');
      }
      info!.receivers.forEach((r, i) => {
        const p = `${bp}/BussinessDocumentInfo/ReceiverList/Receiver[${i + 1}]`;
        organId(add, `${p}/OrganId`, r.organId, 'mã định danh nơi nhận');
        if (r.receiverType !== 0 && r.receiverType !== 1) add(`${p}/ReceiverType`, 'enum', 'ReceiverType phải là 0 (bỏ) hoặc 1 (thêm)', 'ReceiverType must be 0 (removed) or 1 (added)');
      });
    }
  }
  if (t === BUSINESS_DOC_TYPES.REPLACE) {
    if (required(add, `${bp}/ReplacementInfoList`, b!.replacements, 'văn bản bị thay thế (ReplacementInfoList)')) {
      b!.replacements!.forEach((r, i) => {
        const p = `${bp}/ReplacementInfoList/ReplacementInfo[${i + 1}]`;
        documentId(add, `${p}/DocumentId`, r.documentId, true);
        if (required(add, `${p}/OrganIdList`, r.organIds, 'nơi nhận văn bản bị thay thế (OrganIdList)')) {
          r.organIds.forEach((id, j) => organId(add, `${p}/OrganIdList/OrganId[${j + 1}]`, id, 'mã định danh'));
        }
      });
    }
  }
  validateAttachments(add, v, t === BUSINESS_DOC_TYPES.NEW || t === BUSINESS_DOC_TYPES.REPLACE);
}

function validateAttachments(add: Add, v: EdxmlDocumentPackage<EdxmlAttachmentMeta>, needFile: boolean): void {
  if (needFile && !v.attachments.length) add('AttachmentEncoded', 'required', 'Văn bản mới / thay thế phải kèm tệp văn bản', 'a new or replacing document needs at least one attachment');
  const ids = new Map<string, number>();
  v.attachments.forEach((a, i) => {
    const p = `AttachmentEncoded/Attachment[${i + 1}]`;
    const ref = a.contentId !== undefined ? v.manifest.references.find((r) => r.contentId === a.contentId) : undefined;
    if (required(add, `${p}/ContentId`, a.contentId, 'ContentId của tệp đính kèm')) {
      if (ids.has(a.contentId!)) add(`${p}/ContentId`, 'duplicate', `ContentId ${a.contentId} bị lặp`, `ContentId ${a.contentId} appears twice`);
      ids.set(a.contentId!, i);
      if (!ref) add(`${p}/ContentId`, 'manifest', `Tệp cid:${a.contentId} không có trong edXMLManifest`, `attachment cid:${a.contentId} is not in the edXMLManifest`);
    }
    if (!a.attachmentName && !ref?.attachmentName) add(`${p}/AttachmentName`, 'required', 'Thiếu tên tệp đính kèm', 'attachment name is required');
    if ('size' in a && (a as { size: number }).size === 0) add(`${p}/ContentTransferEncoded`, 'empty', 'Tệp đính kèm rỗng', 'empty attachment');
  });
  v.manifest.references.forEach((r, i) => {
    const p = `edXMLBody/edXMLManifest/Reference[${i + 1}]`;
    if (required(add, `${p}/ContentId`, r.contentId, 'ContentId trong edXMLManifest') && !ids.has(r.contentId!)) {
      add(`${p}/ContentId`, 'manifest', `edXMLManifest nêu tệp cid:${r.contentId} nhưng gói tin không có tệp này`, `the manifest lists cid:${r.contentId} but the package does not carry it`);
    }
  });
}
