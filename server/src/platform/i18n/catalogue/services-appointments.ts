import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 预约服务 (services/appointments): problems, reminders and the names of its records. */
export const servicesAppointments = {
  entity_appointment_resource: { 'zh-CN': '预约资源', 'en-US': 'The bookable resource' },
  entity_appointment_slot: { 'zh-CN': '预约时段', 'en-US': 'The slot' },
  entity_appointment: { 'zh-CN': '预约', 'en-US': 'The appointment' },
  appointment_kind_manager: { 'zh-CN': '客户经理', 'en-US': 'account manager' },
  appointment_kind_outlet: { 'zh-CN': '营业厅窗口', 'en-US': 'outlet counter' },
  appointment_kind_vip_lounge: { 'zh-CN': '贵宾厅', 'en-US': 'VIP lounge' },
  slot_full: { 'zh-CN': '该时段已约满；{next}', 'en-US': 'This slot is fully booked; {next}' },
  slot_next_free: { 'zh-CN': '同一资源下一个可约时段为 {at}', 'en-US': 'the next free slot of the resource starts {at}' },
  slot_none_free: { 'zh-CN': '该资源近期没有可约时段', 'en-US': 'the resource has no free slot ahead' },
  appointment_slot_past: { 'zh-CN': '该时段已开始或已过去，不能预约', 'en-US': 'This slot has started or is over; it cannot be booked' },
  appointment_resource_inactive: { 'zh-CN': '该预约资源已停用', 'en-US': 'This resource is no longer bookable' },
  appointment_duplicate: { 'zh-CN': '客户已预约该时段', 'en-US': 'The customer already holds a booking of this slot' },
  appointment_same_slot: { 'zh-CN': '请选择另一个时段', 'en-US': 'Choose another slot' },
  appointment_status: { 'zh-CN': '预约当前为“{status}”，不能{action}', 'en-US': 'The appointment is {status}; it cannot be {action}' },
  appointment_not_started: { 'zh-CN': '预约时段 {at} 尚未开始，暂不能登记到场或爽约', 'en-US': 'The slot starts {at}; attendance or a no-show is recorded once it has started' },
  appointment_capacity_below_booked: { 'zh-CN': '容量不能少于已预约人数（{booked}）', 'en-US': 'The capacity cannot be below the places booked ({booked})' },
  appointment_slot_in_use: { 'zh-CN': '该时段已有预约记录，不能删除；可调整容量', 'en-US': 'This slot has bookings on record and cannot be deleted; change its capacity instead' },
  appointment_resource_in_use: { 'zh-CN': '该资源已有预约记录，不能删除；可改为停用', 'en-US': 'This resource has bookings on record and cannot be deleted; deactivate it instead' },
  appointment_manager_required: { 'zh-CN': '客户经理类资源须指定客户经理', 'en-US': 'An account manager’s resource names the manager' },
  appointment_manager_only: { 'zh-CN': '只有客户经理类资源可指定客户经理', 'en-US': 'Only an account manager’s resource names a manager' },
  appointment_manager_unknown: { 'zh-CN': '所选客户经理不存在、已停用或不在本单位范围内', 'en-US': 'The manager does not exist, is inactive or is outside your units' },
  appointment_range_order: { 'zh-CN': '结束日期不能早于开始日期', 'en-US': 'The end date cannot be before the start date' },
  appointment_range_too_long: { 'zh-CN': '日期范围不能超过 {days} 天', 'en-US': 'The date range cannot exceed {days} days' },
  appointment_times_overlap: { 'zh-CN': '各开始时间的间隔须不小于时长（{minutes} 分钟）', 'en-US': 'Start times must be at least the duration ({minutes} minutes) apart' },
  appointment_ends_next_day: { 'zh-CN': '{time} 开始的时段会跨到次日', 'en-US': 'The slot starting {time} would run into the next day' },
  appointment_status_booked: { 'zh-CN': '已预约', 'en-US': 'booked' },
  appointment_status_attended: { 'zh-CN': '已到场', 'en-US': 'attended' },
  appointment_status_no_show: { 'zh-CN': '爽约', 'en-US': 'a no-show' },
  appointment_status_cancelled: { 'zh-CN': '已取消', 'en-US': 'cancelled' },
  appointment_action_move: { 'zh-CN': '改约', 'en-US': 'moved' },
  appointment_action_cancel: { 'zh-CN': '取消', 'en-US': 'cancelled' },
  appointment_action_outcome: { 'zh-CN': '登记到场或爽约', 'en-US': 'marked attended or no-show' },
  appointment_reminder_booker: {
    'zh-CN': '提醒：您为{customer}预约的{resource}在明天 {at}（{purpose}）',
    'en-US': 'Reminder: the appointment you booked for {customer} at {resource} is tomorrow at {at} ({purpose})',
  },
  appointment_reminder_manager: {
    'zh-CN': '提醒：{customer}明天 {at} 预约了您（{purpose}）',
    'en-US': 'Reminder: {customer} has an appointment with you tomorrow at {at} ({purpose})',
  },
  appointment_reminder_sms: {
    'zh-CN': '【中国移动】尊敬的客户，您预约的{resource}服务在明天 {at}，事项：{purpose}。如需改约请联系您的客户经理或拨打 10086。',
    'en-US': '[China Mobile] Dear customer, your appointment at {resource} is tomorrow at {at} for: {purpose}. To change it, call your account manager or 10086.',
  },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof servicesAppointments;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the appointments' codes (merged into PROBLEM_TYPES). */
export const appointmentProblemTypes = {
  slot_full: type(409, '选择答复中提到的下一个可约时段，或请资源管理员增加容量。', 'Choose the next free slot the answer names, or ask the resource’s manager to add places.'),
  appointment_slot_past: type(422, '选择一个尚未开始的时段。', 'Choose a slot that has not started yet.'),
  appointment_resource_inactive: type(409, '选择另一个预约资源；资源由主管在“预约资源”页启用或停用。', 'Choose another resource; heads (de)activate resources on the resources page.'),
  appointment_duplicate: type(409, '客户已有该时段的预约：无需重复预约，或改约到其他时段。', 'The customer is booked in this slot already: no second booking is needed, or move it.'),
  appointment_same_slot: type(400, '改约时选择与当前不同的时段。', 'To move an appointment, choose a slot other than its current one.'),
  appointment_status: type(409, '已取消、已到场或已爽约的预约不能再改约、取消或登记：需要时新建预约。', 'A cancelled, attended or missed appointment cannot be moved, cancelled or marked again: book anew if needed.'),
  appointment_not_started: type(409, '等时段开始后再登记客户到场或爽约。', 'Record attendance or a no-show once the slot has started.'),
  appointment_capacity_below_booked: type(409, '先改约或取消部分预约，再减少容量。', 'Move or cancel some bookings first, then lower the capacity.'),
  appointment_slot_in_use: type(409, '有预约记录的时段保留作历史：可减少容量或停用资源。', 'A slot with bookings on record stays as history: lower its capacity or deactivate the resource.'),
  appointment_resource_in_use: type(409, '有预约记录的资源保留作历史：改为停用即可不再接受预约。', 'A resource with bookings on record stays as history: deactivate it to stop new bookings.'),
  appointment_manager_required: type(400, '为客户经理类资源选择一位客户经理。', 'Choose the account manager of a manager’s resource.'),
  appointment_manager_only: type(400, '营业厅窗口和贵宾厅不指定客户经理：清空该项。', 'Outlet counters and VIP lounges name no manager: clear the field.'),
  appointment_manager_unknown: type(400, '选择本单位或下级单位的在职客户经理。', 'Choose an active manager of your unit or its sub-units.'),
  appointment_range_order: type(400, '开始日期在前，结束日期在后。', 'Put the start date first and the end date after it.'),
  appointment_range_too_long: type(400, '缩短日期范围，分几次完成。', 'Use a shorter range, in several steps.'),
  appointment_times_overlap: type(400, '调整开始时间或缩短时长，使同一资源的时段互不重叠。', 'Space the start times or shorten the duration so that a resource’s slots do not overlap.'),
  appointment_ends_next_day: type(400, '时段须在当天结束：提前开始时间或缩短时长。', 'A slot ends the day it starts: start earlier or shorten it.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
