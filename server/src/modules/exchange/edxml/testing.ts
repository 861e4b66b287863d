/** Sample values and packages for the codec's tests (and the exchange tests of the next session). */
import type { EdxmlDocumentPackage } from './model';

export function validNewDocument(): EdxmlDocumentPackage<{ contentId?: string; attachmentName?: string; contentType?: string; wrapping: 'none' | 'zip'; zipEntryName?: string }> {
  return {
    kind: 'document',
    header: {
      from: { organId: '000.00.00.H27', organName: 'Ủy ban nhân dân tỉnh Bắc Ninh' },
      to: [{ organId: '000.00.03.H27', organName: 'Sở Tài chính tỉnh Bắc Ninh' }],
      documentId: '000.00.00.H27,2026/12/01,125/UBND-KT',
      code: { codeNumber: '125', codeNotation: 'UBND-KT' },
      promulgationInfo: { place: 'Bắc Ninh', promulgationDate: '2026-12-01' },
      documentType: { type: 1, typeDetail: 0, typeName: 'Công văn' },
      subject: 'V/v triển khai liên thông văn bản điện tử',
      signerInfo: { competence: 'KT. CHỦ TỊCH', position: 'Phó Chủ tịch', fullName: 'Nguyễn Văn An' },
      otherInfo: { priority: 1, promulgationAmount: 2, pageAmount: 3, direction: false },
      steeringType: 1,
      responseFor: [],
    },
    traceHeaders: [{ organId: '000.00.00.H27', timestamp: '2026-12-01T08:30:00' }],
    business: { businessDocType: 0, businessDocReason: 'Văn bản điện tử mới', paper: 0 },
    manifest: { version: '1.0', references: [] },
    attachments: [],
  };
}

/** A minimal new-document package around the given ContentTransferEncoded text. */
export function samplePackage(cteText: string, extraHeader = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.00.H27</edXML:OrganId></edXML:From>
        <edXML:To><edXML:OrganId>000.00.03.H27</edXML:OrganId></edXML:To>
        <edXML:DocumentId>000.00.00.H27,2026/12/01,125/UBND-KT</edXML:DocumentId>
        <edXML:Code><edXML:CodeNumber>125</edXML:CodeNumber><edXML:CodeNotation>UBND-KT</edXML:CodeNotation></edXML:Code>
        <edXML:Subject>Thử nghiệm</edXML:Subject>${extraHeader}
      </edXML:MessageHeader>
    </edXML:edXMLHeader>
    <edXML:edXMLBody><edXML:edXMLManifest version="1.0"><edXML:Reference><edXML:ContentId>cid:1</edXML:ContentId><edXML:AttachmentName>a.pdf</edXML:AttachmentName></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment><ContentId>cid:1</ContentId><AttachmentName>a.pdf</AttachmentName><ContentType>application/pdf</ContentType><edXML:ContentTransferEncoded xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">${cteText}</edXML:ContentTransferEncoded></Attachment>
  </AttachmentEncoded>
</edXML>
`;
}

