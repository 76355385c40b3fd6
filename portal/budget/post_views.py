"""The list of budget posts, kept by the beheerder: names and whether a post can still be
chosen. No amounts are shown here; a post is never removed, only made inactive."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from portal.access.loaders import exists_or_404
from portal.budget import bp, figures, services
from portal.budget.forms import PostForm
from portal.budget.models import BudgetPost
from portal.forms import form_page, show_domain_error
from portal.refusal import DomainError


@bp.route("/posten")
def posts():
    return render_template("budget/posts.html", posts=figures.posts())


@bp.route("/posten/nieuw", methods=["GET", "POST"], defaults={"post_id": None})
@bp.route("/posten/<int:post_id>", methods=["GET", "POST"])
def post_edit(post_id: int | None):
    post = exists_or_404(BudgetPost, post_id, "budget_post") if post_id is not None else None
    form = PostForm(obj=post)
    if form.validate_on_submit():
        try:
            services.save_post(post, label=form.label.data, active=form.active.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("De post is opgeslagen.", "success")
            return redirect(url_for(".posts"))
    return form_page("budget/post_form.html", form, post=post)
