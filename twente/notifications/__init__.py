"""E-mail notifications: reminders for the weekly counts, the coordinators' weekly digest,
action reminders and occupancy alerts.

One flow for every kind: `selection` says what is due at a moment (who, which kind, which
period), `services.notifications_queue` writes one `NotificationLog` row per message (unique
on recipient, kind and period, so a repeated run never sends twice) and enqueues
`tasks.send_notification` per row, which claims the row, composes the message from fresh
figures (`messages`) and sends it. The hourly task, `manage.py send_notifications` and the
occupancy recompute's follow-up all go through `notifications_queue`.
"""
