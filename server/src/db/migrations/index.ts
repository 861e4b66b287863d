import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000Init } from './Migration20261123000000Init';
import { Migration20261123164647_Identity } from './Migration20261123164647_Identity';
import { Migration20261123165933_Documents } from './Migration20261123165933_Documents';
import { Migration20261123172245_Ocr } from './Migration20261123172245_Ocr';
import { Migration20261123180105_DocumentFileOcrFromResult } from './Migration20261123180105_DocumentFileOcrFromResult';
import { Migration20261123181929_DraftsBox } from './Migration20261123181929_DraftsBox';
import { Migration20261123172001_InboxIndexes } from './Migration20261123172001_InboxIndexes';
import { Migration20261205210915_StoredObject } from './Migration20261205210915_StoredObject';
import { Migration20261205211500_LoginThrottlePerClient } from './Migration20261205211500_LoginThrottlePerClient';
import { Migration20261205211300_OcrRetriesByQueue } from './Migration20261205211300_OcrRetriesByQueue';
import { Migration20261205213744_Admin } from './Migration20261205213744_Admin';
import { Migration20261205215525_SessionLastSeen } from './Migration20261205215525_SessionLastSeen';
import { Migration20261205224800_NotificationsChanged } from './Migration20261205224800_NotificationsChanged';
import { Migration20261206001646_SearchIndex } from './Migration20261206001646_SearchIndex';
import { Migration20261206001725_SecretCirculation } from './Migration20261206001725_SecretCirculation';
import { Migration20261206030206_Records } from './Migration20261206030206_Records';
import { Migration20261206030101_IncomingRegisters } from './Migration20261206030101_IncomingRegisters';
import { Migration20261206030437_Meetings } from './Migration20261206030437_Meetings';
import { Migration20261206030550_IssuingTwoPhase } from './Migration20261206030550_IssuingTwoPhase';

import { Migration20261206031113_Signing } from './Migration20261206031113_Signing';
import { Migration20261206062018_ExchangePeers } from './Migration20261206062018_ExchangePeers';
import { Migration20261206062203_Exchange } from './Migration20261206062203_Exchange';
import { Migration20261206062251_ExchangeBusiness } from './Migration20261206062251_ExchangeBusiness';
import { Migration20261206063500_SearchPersonalSet } from './Migration20261206063500_SearchPersonalSet';
import { Migration20261206062942_MeetingTaskReminders } from './Migration20261206062942_MeetingTaskReminders';
import { Migration20261206074916_SigningCrl } from './Migration20261206074916_SigningCrl';
import { Migration20261206094336_NotificationMeeting } from './Migration20261206094336_NotificationMeeting';
/**
 * Migrations in order. Create one with `npm run migration -- create <Name>` (it diffs the entities
 * against a migrated database), then add it here.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123000000Init', class: Migration20261123000000Init },
  { name: 'Migration20261123164647_Identity', class: Migration20261123164647_Identity },
  { name: 'Migration20261123165933_Documents', class: Migration20261123165933_Documents },
  { name: 'Migration20261123172001_InboxIndexes', class: Migration20261123172001_InboxIndexes },
  { name: 'Migration20261123172245_Ocr', class: Migration20261123172245_Ocr },
  { name: 'Migration20261123180105_DocumentFileOcrFromResult', class: Migration20261123180105_DocumentFileOcrFromResult },
  { name: 'Migration20261123181929_DraftsBox', class: Migration20261123181929_DraftsBox },
  { name: 'Migration20261205210915_StoredObject', class: Migration20261205210915_StoredObject },
  { name: 'Migration20261205211500_LoginThrottlePerClient', class: Migration20261205211500_LoginThrottlePerClient },
  { name: 'Migration20261205211300_OcrRetriesByQueue', class: Migration20261205211300_OcrRetriesByQueue },
  { name: 'Migration20261205213744_Admin', class: Migration20261205213744_Admin },
  { name: 'Migration20261205215525_SessionLastSeen', class: Migration20261205215525_SessionLastSeen },
  { name: 'Migration20261205224800_NotificationsChanged', class: Migration20261205224800_NotificationsChanged },
  { name: 'Migration20261206001646_SearchIndex', class: Migration20261206001646_SearchIndex },
  { name: 'Migration20261206001725_SecretCirculation', class: Migration20261206001725_SecretCirculation },
  { name: 'Migration20261206030101_IncomingRegisters', class: Migration20261206030101_IncomingRegisters },
  { name: 'Migration20261206030206_Records', class: Migration20261206030206_Records },
  { name: 'Migration20261206030437_Meetings', class: Migration20261206030437_Meetings },
  { name: 'Migration20261206030550_IssuingTwoPhase', class: Migration20261206030550_IssuingTwoPhase },
  { name: 'Migration20261206031113_Signing', class: Migration20261206031113_Signing },
  { name: 'Migration20261206062018_ExchangePeers', class: Migration20261206062018_ExchangePeers },
  { name: 'Migration20261206062203_Exchange', class: Migration20261206062203_Exchange },
  { name: 'Migration20261206062251_ExchangeBusiness', class: Migration20261206062251_ExchangeBusiness },
  { name: 'Migration20261206063500_SearchPersonalSet', class: Migration20261206063500_SearchPersonalSet },
  { name: 'Migration20261206062942_MeetingTaskReminders', class: Migration20261206062942_MeetingTaskReminders },
  { name: 'Migration20261206074916_SigningCrl', class: Migration20261206074916_SigningCrl },
  { name: 'Migration20261206094336_NotificationMeeting', class: Migration20261206094336_NotificationMeeting },
];
