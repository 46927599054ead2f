"""The permission matrix: who may open each admin page, send its form, and run each action.

Read by test_permission_matrix.py, which sends every request of these tables as each person and
fails on any answer that differs, and on any admin page, action or home-page tool that has no row
here: a new screen says who may use it before it ships. docs/roles.md tells the same in words.

Letters name the people of conftest.PEOPLE: N a staff member in no role, W the writer, E the
editor, T the translator (of hy and ru), A the administrator. "-" is nobody; "." is a request not
sent (a page that only shows, or only takes a POST; those answer the other method without
changing anything). A visitor who is not logged in is sent to the log-in page from every page.

Allowed means a page, a redirect or a form error (the request reached the view); refused means
403, the log-in page, or 404 where a page lists only a person's own things (an import they
requested) — and, for a POST or an action, that nothing in the database changed. The revision
restored is the article's first one, and compare compares its first and its latest; the actions
that ask for a time first (schedule, schedule_all_languages) are sent with one
(test_permission_matrix.ACTION_DATA).
"""

from __future__ import annotations

# Objects are named after the world's attributes (conftest.world); "published/ru" passes two values.
PAGES = """
page                                          object           GET     POST
index                                         -                NWETA   .
password_change                               -                NWETA   .
password_change_done                          -                NWETA   .
jsi18n                                        -                NWETA   .
view_on_site                                  published        NWETA   .
autocomplete                                  -                WETA    .
app_list                                      newsroom         WETA    .
app_list                                      auth             A       .

newsroom_article_changelist                   -                WETA    .
newsroom_article_add                          -                WEA     WEA
newsroom_article_change                       own_draft        WETA    WEA
newsroom_article_change                       own_submitted    WETA    EA
newsroom_article_change                       other_draft      WETA    EA
newsroom_article_change                       published        WETA    EA
newsroom_article_change                       translation_hy   WETA    ETA
newsroom_article_change                       translation_fr   WETA    EA
newsroom_article_delete                       own_draft        WEA     WEA
newsroom_article_delete                       own_submitted    EA      EA
newsroom_article_delete                       other_draft      EA      EA
newsroom_article_delete                       translation_hy   EA      EA
newsroom_article_history                      published        WETA    .
newsroom_article_history_compare              published        WETA    .
newsroom_article_history_restore              own_draft        WEA     WEA
newsroom_article_history_restore              own_submitted    EA      EA
newsroom_article_history_restore              other_draft      EA      EA
newsroom_article_history_restore              published        EA      EA
newsroom_article_history_restore              translation_hy   ETA     ETA
newsroom_article_history_restore              translation_fr   EA      EA
newsroom_article_translate                    published/ru     ETA     ETA
newsroom_article_translate                    published/en     EA      EA
newsroom_section_changelist                   -                WETA    .
newsroom_section_add                          -                EA      EA
newsroom_section_change                       section          WETA    EA
newsroom_section_delete                       empty_section    EA      EA
newsroom_section_history                      section          WETA    .
newsroom_source_changelist                    -                WETA    .
newsroom_source_add                           -                EA      EA
newsroom_source_change                        source           WETA    EA
newsroom_source_delete                        spare_source     EA      EA
newsroom_source_history                       source           WETA    .
newsroom_author_changelist                    -                WETA    .
newsroom_author_add                           -                EA      EA
newsroom_author_change                        author           WETA    EA
newsroom_author_delete                        author           EA      EA
newsroom_author_history                       author           WETA    .
newsroom_tag_changelist                       -                WETA    .
newsroom_tag_add                              -                EA      EA
newsroom_tag_change                           tag              WETA    EA
newsroom_tag_delete                           tag              EA      EA
newsroom_tag_history                          tag              WETA    .

translation_coverage                          -                ETA     EA
translation_engines                           -                ETA     EA
translation_translation_changelist            -                ETA     .
translation_translation_add                   -                -       -
translation_translation_change                review_hy        ETA     ETA
translation_translation_change                review_fr        EA      EA
translation_translation_delete                review_hy        EA      EA
translation_translation_history               review_hy        ETA     .
translation_translation_history               review_fr        EA      .
translation_translationjob_changelist         -                ETA     .
translation_translationjob_add                -                -       -
translation_translationjob_change             job_hy           ETA     EA
translation_translationjob_change             job_fr           EA      EA
translation_translationjob_delete             job_hy           EA      EA
translation_translationjob_history            job_hy           ETA     .
translation_translationjob_retry              job_hy           .       EA
translation_memoryentry_changelist            -                ETA     .
translation_memoryentry_add                   -                EA      EA
translation_memoryentry_change                memory_hy        ETA     EA
translation_memoryentry_change                memory_fr        EA      EA
translation_memoryentry_delete                memory_hy        EA      EA
translation_memoryentry_history               memory_hy        ETA     .
translation_glossaryterm_changelist           -                ETA     .
translation_glossaryterm_add                  -                EA      EA
translation_glossaryterm_change               term             ETA     EA
translation_glossaryterm_delete               term             EA      EA
translation_glossaryterm_history              term             ETA     .
translation_glossary_export                   csv              ETA     .
translation_glossary_import                   -                EA      EA
translation_engineusage_changelist            -                EA      .
translation_engineusage_add                   -                -       -
translation_engineusage_change                usage            EA      -
translation_engineusage_delete                usage            A       A
translation_engineusage_history               usage            EA      .

ingest_import                                 -                EA      EA
ingest_import_job                             import_job       E       .
ingest_feed_changelist                        -                EA      .
ingest_feed_add                               -                EA      EA
ingest_feed_change                            feed             EA      EA
ingest_feed_delete                            feed             EA      EA
ingest_feed_history                           feed             EA      .
ingest_importeditem_changelist                -                EA      .
ingest_importeditem_add                       -                -       -
ingest_importeditem_change                    item             EA      EA
ingest_importeditem_delete                    item             EA      EA
ingest_importeditem_history                   item             EA      .
ingest_importeditem_apply                     item             .       EA
ingest_importeditem_discard                   item             .       EA

auth_user_changelist                          -                A       .
auth_user_add                                 -                A       A
auth_user_change                              user             A       A
auth_user_delete                              user             A       A
auth_user_history                             user             A       .
auth_user_password_change                     user             A       A
auth_group_changelist                         -                A       .
auth_group_add                                -                A       A
auth_group_change                             group            A       A
auth_group_delete                             group            A       A
auth_group_history                            group            A       .
django_tasks_database_dbtaskresult_changelist -                EA      .
django_tasks_database_dbtaskresult_add        -                -       -
django_tasks_database_dbtaskresult_change     task             EA      -
django_tasks_database_dbtaskresult_delete     task             -       -
django_tasks_database_dbtaskresult_history    task             EA      .
"""

# Pages outside the matrix: the log-in and log-out pages (anyone), and the admin's unnamed
# redirects (an object's bare address, an unknown address), which lead to the pages above.
OUTSIDE = {"login", "logout", None}

# Actions of the lists, run on the object named: who runs them (and changes something).
ACTIONS = """
model                       action                  object          runs for
newsroom.article            publish_now             own_draft       EA
newsroom.article            publish_now             translation_hy  ETA
newsroom.article            publish_now             translation_fr  EA
newsroom.article            unpublish               published       EA
newsroom.article            unpublish               translation_hy  ETA
newsroom.article            schedule                own_submitted   EA
newsroom.article            schedule                translation_hy  ETA
newsroom.article            schedule_all_languages  published       EA
newsroom.article            schedule_all_languages  translation_hy  EA
newsroom.article            submit_for_review       own_draft       WEA
newsroom.article            submit_for_review       other_draft     EA
newsroom.article            queue_translations      published       EA
newsroom.article            delete_selected         own_draft       WEA
newsroom.article            delete_selected         published       EA
newsroom.section            delete_selected         empty_section   EA
newsroom.source             delete_selected         spare_source    EA
newsroom.author             delete_selected         author          EA
newsroom.tag                delete_selected         tag             EA
translation.translation     delete_selected         review_hy       EA
translation.translationjob  retry_jobs              job_hy          EA
translation.translationjob  delete_selected         job_hy          EA
translation.memoryentry     delete_selected         memory_hy       EA
translation.glossaryterm    delete_selected         term            EA
translation.engineusage     delete_selected         usage           A
ingest.feed                 poll_now                feed            EA
ingest.feed                 reset_backoff           feed            EA
ingest.feed                 delete_selected         feed            EA
ingest.importeditem         delete_selected         item            EA
auth.user                   delete_selected         user            A
auth.group                  delete_selected         group           A
"""

# The "Newsroom tools" of the admin home page: who sees each.
TOOLS = """
tool                  shown to
translation_coverage  ETA
translation_engines   ETA
import                EA
"""


def rows(table: str) -> list[list[str]]:
    """The rows of a table above (its header line left out)."""
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    return lines[1:]


def letters(cell: str) -> set[str]:
    return set() if cell in "-." else set(cell)
