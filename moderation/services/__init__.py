"""Moderation use cases: reports, the queue and decisions, restores, unmasking, roles and the audit log."""

from __future__ import annotations

from moderation.services.audit import audit_page as audit_page
from moderation.services.audit import audit_record as audit_record
from moderation.services.flags import FlagDetail as FlagDetail
from moderation.services.flags import content_restore as content_restore
from moderation.services.flags import flag_act as flag_act
from moderation.services.flags import flag_detail as flag_detail
from moderation.services.flags import flag_get as flag_get
from moderation.services.flags import flag_report as flag_report
from moderation.services.flags import flag_unmask as flag_unmask
from moderation.services.flags import flags_of_reporter as flags_of_reporter
from moderation.services.flags import flags_page as flags_page
from moderation.services.flags import parse_content_type as parse_content_type
from moderation.services.flags import parse_status as parse_status
from moderation.services.flags import queue_counts as queue_counts
from moderation.services.flags import report_input as report_input
from moderation.services.roles import moderation_users_search as moderation_users_search
from moderation.services.roles import moderator_assign as moderator_assign
from moderation.services.roles import moderator_revoke as moderator_revoke
from moderation.services.roles import permission_grant as permission_grant
from moderation.services.roles import permission_revoke as permission_revoke
