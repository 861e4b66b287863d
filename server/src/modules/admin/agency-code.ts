/**
 * Identifier codes of agencies (mã định danh, QĐ 20/2020/QĐ-TTg, QCVN 102:2016 Sửa đổi 1:2022): the rule lives in
 * schema/validation/agency-code.ts, shared with the web's agency form, so both accept exactly the same codes.
 */
export * from '../../../../schema/validation/agency-code';
