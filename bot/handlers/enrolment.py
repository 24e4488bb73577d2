"""Who may join, and with which clinic: invite links, open enrolment, and clinicians.

An invite code is checked when the link is opened (so a bad one is explained at once) and
used when the person agrees to the consent text (so nobody is stored before they agree).
"""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeChat, Update

from bot.domain.clinics import InviteStatus, Role
from bot.domain.onboarding import Placement
from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.replies import send
from bot.render import Message
from bot.storage import Clinician


def invite_code(update: Update, context: BotContext) -> str | None:
    """The code from ``/start CODE`` (what a t.me/<bot>?start=CODE link sends)."""
    return context.args[0] if context.args else None


async def may_start_joining(update: Update, context: BotContext, code: str | None) -> bool:
    """Whether a newcomer may see the consent text; if not, they are told why."""
    services = context.services
    if code is not None:
        status, _invite = services.clinics.invite_status(code)
        if status is not InviteStatus.VALID:
            await send(update, context, Message.INVITE_PROBLEM, status=status.value)
            return False
        return True
    if not services.settings.allow_open_enrolment:
        await send(update, context, Message.INVITE_NEEDED)
        return False
    return True


async def placement_for(update: Update, context: BotContext, token: str) -> Placement | None:
    """The clinic a newcomer joins as they agree, using up their invite; None (after telling
    them why) when they cannot join."""
    services = context.services
    _version, _, code = token.partition(keyboards.INVITE_SEPARATOR)
    if code:
        status = services.clinics.redeem(code)
        if status is not InviteStatus.VALID:
            await send(update, context, Message.INVITE_PROBLEM, status=status.value)
            return None
        _status, invite = services.clinics.invite_status(code)
        assert invite is not None
        clinic_id = invite.clinic_id
    elif services.settings.allow_open_enrolment:
        clinic = services.clinics.default_clinic()
        assert clinic.id is not None
        clinic_id = clinic.id
    else:
        await send(update, context, Message.INVITE_NEEDED)
        return None
    return Placement(clinic_id, services.clinics.new_patient_code(clinic_id))


def role(update: Update, context: BotContext) -> Role:
    user = update.effective_user
    return context.services.clinics.role_of(user.id) if user else Role.NOBODY


async def welcome_clinician(update: Update, context: BotContext, clinician: Clinician) -> None:
    await set_clinician_menu(context, clinician)
    clinic = context.services.clinics.clinic_of(clinician)
    await send(
        update,
        context,
        Message.CLINICIAN_WELCOME,
        name=clinician.name,
        clinic=clinic.name,
        commands=list(context.services.prompts.ui.clinician_commands.items()),
    )


async def set_clinician_menu(context: BotContext, clinician: Clinician) -> None:
    """Clinicians see their own command menu, in their chat only (a private chat's id is the
    user's id)."""
    commands = context.services.prompts.ui.clinician_commands
    await context.bot.set_my_commands(
        [BotCommand(name, description) for name, description in commands.items()],
        scope=BotCommandScopeChat(clinician.telegram_user_id),
    )
