from django import template

from quizbank.templatetags.quizbank_tags import markdown

register = template.Library()
# A question's Markdown as sanitised HTML: the question bank's filter, under the same name.
register.filter("markdown", markdown)
