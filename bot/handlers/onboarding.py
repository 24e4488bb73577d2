"""/start, the consent buttons, and the time zone and check-in time questions."""

from __future__ import annotations

from telegram import Update

from bot.domain.answers import InvalidAnswer, parse_time_of_day
from bot.domain.clinics import Role
from bot.domain.onboarding import ConsentOutcome, pending_setup_step
from bot.domain.steps import CHECKIN_TIME_STEPS, TIMEZONE_STEPS
from bot.domain.timezones import ZoneChoice, is_known_zone, resolve_zone
from bot.handlers import enrolment, keyboards
from bot.handlers.context import BotContext
from bot.handlers.formatting import format_time, settings_summary
from bot.handlers.guards import known_person, live_conversation, show_consent
from bot.handlers.incoming import pressed, typed_text
from bot.handlers.questions import ask_step
from bot.handlers.replies import acknowledge_press, retire_question, send
from bot.render import Message
from bot.storage import Conversation, Patient


async def start(update: Update, context: BotContext) -> None:
    """Join, carry on with set-up, or, for someone set up already, offer to change settings."""
    if update.effective_user is None:
        return
    onboarding = context.services.onboarding
    clinician = context.services.clinics.clinician(update.effective_user.id)
    if clinician is not None:
        await enrolment.welcome_clinician(update, context, clinician)
        return
    patient = known_person(update, context)
    if patient is None:
        code = enrolment.invite_code(update, context)
        if await enrolment.may_start_joining(update, context, code):
            await show_consent(update, context, None, code)
        return
    if onboarding.needs_consent(patient):
        await show_consent(update, context, patient)
        return
    if pending_setup_step(patient) is not None:
        await ask_step(update, context, patient, onboarding.resume_setup(patient))
        return
    await send_settings(update, context, patient, Message.WELCOME_BACK)


async def send_settings(
    update: Update, context: BotContext, patient: Patient, template: Message
) -> None:
    services = context.services
    await send(
        update,
        context,
        template,
        keyboards.settings_menu(services.prompts.ui, patient.share_journal),
        share_journal=patient.share_journal,
        **settings_summary(patient, services.clock.now()),
    )


async def consent_pressed(update: Update, context: BotContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    callback = pressed(update)
    if user is None or chat is None or callback is None:
        await acknowledge_press(update, context)
        return
    services = context.services
    notices = services.prompts.ui.notices
    version_text = callback.token.partition(keyboards.INVITE_SEPARATOR)[0]
    version = int(version_text) if version_text.isdigit() else 0
    if callback.value == keyboards.DECLINE:
        await acknowledge_press(update, context)
        patient = services.onboarding.decline_consent(user.id, version)
        await send(update, context, Message.CONSENT_DECLINED, had_data=patient is not None)
        return
    if services.clinics.role_of(user.id) == Role.CLINICIAN:
        await acknowledge_press(update, context)
        await send(update, context, Message.CLINICIANS_CANNOT_JOIN)
        return
    placement = None
    if version == services.prompts.consent_version and known_person(update, context) is None:
        placement = await enrolment.placement_for(update, context, callback.token)
        if placement is None:
            await acknowledge_press(update, context)
            return
    answer = services.onboarding.accept_consent(
        user.id, chat.id, user.first_name, version, placement
    )
    if answer.outcome == ConsentOutcome.OUTDATED:
        await acknowledge_press(update, context, notices.consent_outdated)
        await show_consent(update, context, answer.patient)
        return
    if answer.outcome == ConsentOutcome.ALREADY_GIVEN:
        await acknowledge_press(update, context, notices.consent_already_given)
        return
    await acknowledge_press(update, context, notices.saved)
    patient, conversation = answer.patient, answer.conversation
    assert patient is not None
    assert conversation is not None
    if pending_setup_step(patient) is not None:
        await ask_step(
            update,
            context,
            patient,
            conversation,
            just_joined=answer.outcome == ConsentOutcome.JOINED,
        )
    else:
        await send_settings(update, context, patient, Message.WELCOME_BACK)


async def timezone_pressed(update: Update, context: BotContext) -> None:
    callback = pressed(update)
    found = await live_conversation(update, context, callback, TIMEZONE_STEPS)
    if found is None or callback is None:
        return
    if not is_known_zone(callback.value):  # a choice from an older ui.yaml
        await acknowledge_press(update, context, context.services.prompts.ui.notices.stale_button)
        return
    patient, conversation = found
    await acknowledge_press(update, context)
    await _save_timezone(update, context, patient, conversation, ZoneChoice(callback.value))


async def timezone_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    text = typed_text(update)
    choice = resolve_zone(text)
    if choice is None:
        await send(update, context, Message.TIMEZONE_UNKNOWN, typed=text)
        return
    await _save_timezone(update, context, patient, conversation, choice)


async def _save_timezone(
    update: Update,
    context: BotContext,
    patient: Patient,
    conversation: Conversation,
    choice: ZoneChoice,
) -> None:
    services = context.services
    await retire_question(update, context, conversation)
    patient, conversation = services.onboarding.choose_timezone(patient, conversation, choice)
    services.scheduler.plan_ahead(patient)
    await send(
        update,
        context,
        Message.TIMEZONE_SAVED,
        fixed_offset=choice.fixed_offset,
        **settings_summary(patient, services.clock.now()),
    )
    await ask_step(update, context, patient, conversation)


async def checkin_time_pressed(update: Update, context: BotContext) -> None:
    callback = pressed(update)
    found = await live_conversation(update, context, callback, CHECKIN_TIME_STEPS)
    if found is None or callback is None:
        return
    patient, conversation = found
    await acknowledge_press(update, context)
    await _save_checkin_time(update, context, patient, conversation, callback.value)


async def checkin_time_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    await _save_checkin_time(update, context, patient, conversation, typed_text(update))


async def _save_checkin_time(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation, text: str
) -> None:
    services = context.services
    try:
        checkin_time = parse_time_of_day(text)
    except InvalidAnswer:
        await send(update, context, Message.CHECKIN_TIME_INVALID, typed=text)
        return
    await retire_question(update, context, conversation)
    patient, completed = services.onboarding.choose_checkin_time(
        patient, conversation, checkin_time
    )
    services.scheduler.plan_ahead(patient)
    if completed:
        await send(
            update,
            context,
            Message.ONBOARDING_DONE,
            **settings_summary(patient, services.clock.now()),
        )
    else:
        await send(
            update, context, Message.CHECKIN_TIME_SAVED, checkin_time=format_time(checkin_time)
        )
