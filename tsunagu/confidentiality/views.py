from django.contrib import messages
from django.shortcuts import redirect, render

from tsunagu.lib.gate import member_required

from . import services
from .access import current_policy, policy_versions, privacy_settings
from .forms import PolicyForm, SettingsForm


@member_required("members.manage")
def privacy(request):
    """市職員: how pledges are signed, the advisers' window, retention, and the policy texts."""
    municipality = request.member.municipality
    settings_form = SettingsForm(instance=privacy_settings(municipality))
    policy = current_policy(municipality) or services.policy_for_signing(
        municipality, by=request.user
    )
    policy_form = PolicyForm(
        initial={"policy_text": policy.policy_text, "pledge_text": policy.pledge_text}
    )
    if request.method == "POST" and request.POST.get("action") == "settings":
        settings_form = SettingsForm(request.POST, instance=privacy_settings(municipality))
        if settings_form.is_valid():
            services.save_settings(
                settings=settings_form.instance, by=request.user, request=request
            )
            messages.success(request, "設定を保存しました。")
            return redirect("confidentiality:privacy")
    elif request.method == "POST" and request.POST.get("action") == "publish":
        policy_form = PolicyForm(request.POST)
        if policy_form.is_valid():
            version = services.publish_policy(
                municipality=municipality,
                by=request.user,
                request=request,
                **policy_form.cleaned_data,
            )
            messages.success(
                request, f"第{version.version}版を公開しました。これ以降の署名はこの版になります。"
            )
            return redirect("confidentiality:privacy")
    return render(
        request,
        "confidentiality/privacy.html",
        {
            "settings_form": settings_form,
            "policy_form": policy_form,
            "policy": policy,
            "versions": policy_versions(municipality),
        },
    )
