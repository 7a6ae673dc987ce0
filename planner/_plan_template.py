from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'plan.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_provenance_line = resolve('provenance_line')
    l_0_plan = resolve('plan')
    l_0_sections = resolve('sections')
    l_0_refinement_heading = resolve('refinement_heading')
    try:
        t_1 = environment.filters['cell']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'cell' found.")
    try:
        t_2 = environment.filters['code']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'code' found.")
    try:
        t_3 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_4 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_5 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_6 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    try:
        t_7 = environment.filters['unique']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'unique' found.")
    pass
    yield '<!-- '
    yield str((undefined(name='provenance_line') if l_0_provenance_line is missing else l_0_provenance_line))
    yield ' -->\n# Plan: '
    yield str(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'title'))
    yield '\n\n'
    yield str(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'summary'))
    yield '\n\nPlan file: `.claude/docs/'
    yield str(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'name'))
    yield '.md`. Guidance only: no code is written here.\n\n## Context\n\n'
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'context'):
        pass
        for l_1_line in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'context'):
            _loop_vars = {}
            pass
            yield '> '
            yield str(l_1_line)
            yield '\n'
        l_1_line = missing
    else:
        pass
        yield 'No session context was given (`.claude/tasks/session_context_'
        yield str(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'name'))
        yield '.md` was not found).\n'
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'assumptions'):
        pass
        yield '\n\nAssumptions:\n'
        for l_1_item in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'assumptions'):
            _loop_vars = {}
            pass
            yield '\n- '
            yield str(l_1_item)
        l_1_item = missing
        yield '\n'
    yield '\n\n## Files to create and change\n\n| Action | Path | Purpose |\n| --- | --- | --- |\n'
    for l_1_f in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'files'):
        _loop_vars = {}
        pass
        yield '| '
        yield str(environment.getattr(l_1_f, 'action'))
        yield ' | '
        yield str(t_1(t_2(environment.getattr(l_1_f, 'path'))))
        yield ' | '
        yield str(t_1(environment.getattr(l_1_f, 'purpose')))
        yield ' |\n'
    l_1_f = missing
    for l_1_f in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'files'):
        _loop_vars = {}
        pass
        yield '\n\n### '
        yield str(t_2(environment.getattr(l_1_f, 'path')))
        yield ' ('
        yield str(environment.getattr(l_1_f, 'action'))
        yield ')\n'
        for l_2_g in environment.getattr(l_1_f, 'guidance'):
            _loop_vars = {}
            pass
            yield '\n- '
            yield str(l_2_g)
        l_2_g = missing
    l_1_f = missing
    yield '\n'
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'endpoints'):
        pass
        yield '\n\n## API contract\n\n| Method | Path | Success | Errors | Auth |\n| --- | --- | --- | --- | --- |\n'
        for l_1_e in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'endpoints'):
            _loop_vars = {}
            pass
            yield '| '
            yield str(environment.getattr(l_1_e, 'method'))
            yield ' | '
            yield str(t_1(t_2(environment.getattr(l_1_e, 'path'))))
            yield ' | '
            yield str(environment.getattr(l_1_e, 'success_status'))
            yield ' | '
            yield str(t_3(context.eval_ctx, t_7(environment, t_5(context, environment.getattr(l_1_e, 'errors'), attribute='status')), ', '))
            yield ' | '
            yield str(t_1(environment.getattr(l_1_e, 'auth')))
            yield ' |\n'
        l_1_e = missing
        for l_1_e in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'endpoints'):
            _loop_vars = {}
            pass
            yield '\n\n### `'
            yield str(environment.getattr(l_1_e, 'method'))
            yield ' '
            yield str(environment.getattr(l_1_e, 'path'))
            yield '` → '
            yield str(environment.getattr(l_1_e, 'success_status'))
            yield '\n\n'
            yield str(environment.getattr(l_1_e, 'summary'))
            yield '. Function '
            yield str(t_2(environment.getattr(l_1_e, 'function')))
            yield '; '
            yield str(('idempotent' if environment.getattr(l_1_e, 'idempotent') else 'not idempotent'))
            yield '.\n'
            if environment.getattr(l_1_e, 'request_schema'):
                pass
                yield '\n- Request body: `'
                yield str(environment.getattr(l_1_e, 'request_schema'))
                yield '`'
            if environment.getattr(l_1_e, 'response_schema'):
                pass
                yield '\n- Response body: `'
                yield str(environment.getattr(l_1_e, 'response_schema'))
                yield '`'
            else:
                pass
                yield '\n- Response body: none'
            for l_2_h in environment.getattr(l_1_e, 'success_headers'):
                _loop_vars = {}
                pass
                yield '\n- Header on success: `'
                yield str(l_2_h)
                yield '`'
            l_2_h = missing
            for l_2_q in environment.getattr(l_1_e, 'query'):
                _loop_vars = {}
                pass
                yield '\n- Query: '
                yield str(l_2_q)
            l_2_q = missing
            for l_2_err in environment.getattr(l_1_e, 'errors'):
                _loop_vars = {}
                pass
                yield '\n- **'
                yield str(environment.getattr(l_2_err, 'status'))
                yield '** when '
                yield str(environment.getattr(l_2_err, 'when'))
                for l_3_h in environment.getattr(l_2_err, 'headers'):
                    _loop_vars = {}
                    pass
                    yield ' (with `'
                    yield str(l_3_h)
                    yield '`)'
                l_3_h = missing
            l_2_err = missing
        l_1_e = missing
        yield '\n'
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'schemas'):
        pass
        yield '\n\n## Schemas\n'
        for l_1_s in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'schemas'):
            _loop_vars = {}
            pass
            yield '\n\n### `'
            yield str(environment.getattr(l_1_s, 'name'))
            yield '` ('
            yield str(environment.getattr(l_1_s, 'role'))
            yield ')\n'
            if environment.getattr(l_1_s, 'notes'):
                pass
                yield '\n'
                yield str(environment.getattr(l_1_s, 'notes'))
                yield '.\n'
            yield '\n| Field | Type | Required | Constraints |\n| --- | --- | --- | --- |\n'
            for l_2_fld in environment.getattr(l_1_s, 'fields'):
                _loop_vars = {}
                pass
                yield '| '
                yield str(t_1(t_2(environment.getattr(l_2_fld, 'name'))))
                yield ' | '
                yield str(t_1(t_2(environment.getattr(l_2_fld, 'type'))))
                yield ' | '
                yield str(('yes' if environment.getattr(l_2_fld, 'required') else 'no'))
                yield ' | '
                yield str(t_1(environment.getattr(l_2_fld, 'constraints')))
                yield ' |\n'
            l_2_fld = missing
        l_1_s = missing
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'data_model'):
        pass
        yield '\n\n## Data model\n'
        for l_1_t in environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'data_model'), 'tables'):
            _loop_vars = {}
            pass
            yield '\n\n### Table `'
            yield str(environment.getattr(l_1_t, 'name'))
            yield '` (model `'
            yield str(environment.getattr(l_1_t, 'model'))
            yield '`, '
            yield str(environment.getattr(l_1_t, 'action'))
            yield ')\n'
            if environment.getattr(l_1_t, 'columns'):
                pass
                yield '\n| Column | Type | Null | Constraints |\n| --- | --- | --- | --- |\n'
                for l_2_c in environment.getattr(l_1_t, 'columns'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(t_1(t_2(environment.getattr(l_2_c, 'name'))))
                    yield ' | '
                    yield str(t_1(t_2(environment.getattr(l_2_c, 'type'))))
                    yield ' | '
                    yield str(('yes' if environment.getattr(l_2_c, 'nullable') else 'no'))
                    yield ' | '
                    yield str(t_1(t_3(context.eval_ctx, environment.getattr(l_2_c, 'constraints'), '; ')))
                    yield ' |\n'
                l_2_c = missing
            if environment.getattr(l_1_t, 'indexes'):
                pass
                yield '\n\n| Index | Columns | Unique | Why |\n| --- | --- | --- | --- |\n'
                for l_2_i in environment.getattr(l_1_t, 'indexes'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(t_1(t_2(environment.getattr(l_2_i, 'name'))))
                    yield ' | '
                    yield str(t_1(t_3(context.eval_ctx, environment.getattr(l_2_i, 'columns'), ', ')))
                    yield ' | '
                    yield str(('yes' if environment.getattr(l_2_i, 'unique') else 'no'))
                    yield ' | '
                    yield str(t_1(environment.getattr(l_2_i, 'reason')))
                    yield ' |\n'
                l_2_i = missing
        l_1_t = missing
        if environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'data_model'), 'migration'):
            pass
            yield '\n\n### Migration\n'
            l_1_loop = missing
            for l_1_m, l_1_loop in LoopContext(environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'data_model'), 'migration'), undefined):
                _loop_vars = {}
                pass
                yield '\n'
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(l_1_m)
            l_1_loop = l_1_m = missing
            yield '\n'
    for l_1_d in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'diagrams'):
        _loop_vars = {}
        pass
        yield '\n\n## Diagram: '
        yield str(environment.getattr(l_1_d, 'title'))
        yield '\n\n```mermaid\n'
        yield str(environment.getattr(l_1_d, 'mermaid'))
        yield '\n```\n'
    l_1_d = missing
    for (l_1_category, l_1_title) in (undefined(name='sections') if l_0_sections is missing else l_0_sections):
        l_1_notes = missing
        _loop_vars = {}
        pass
        l_1_notes = t_4(context.eval_ctx, t_6(context, environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'notes'), 'category', 'equalto', l_1_category))
        _loop_vars['notes'] = l_1_notes
        if (undefined(name='notes') if l_1_notes is missing else l_1_notes):
            pass
            yield '\n\n## '
            yield str(l_1_title)
            yield '\n'
            for l_2_n in (undefined(name='notes') if l_1_notes is missing else l_1_notes):
                _loop_vars = {}
                pass
                yield '\n- '
                yield str(environment.getattr(l_2_n, 'text'))
                if environment.getattr(l_2_n, 'old'):
                    pass
                    yield ' Instead of: '
                    yield str(context.call(environment.getattr(environment.getattr(l_2_n, 'old'), 'rstrip'), '.', _loop_vars=_loop_vars))
                    yield '.'
                if (environment.getattr(l_2_n, 'since') or environment.getattr(l_2_n, 'source')):
                    pass
                    yield ' ('
                    if environment.getattr(l_2_n, 'since'):
                        pass
                        yield str(environment.getattr(l_2_n, 'since'))
                    if (environment.getattr(l_2_n, 'since') and environment.getattr(l_2_n, 'source')):
                        pass
                        yield '; '
                    if environment.getattr(l_2_n, 'source'):
                        pass
                        yield 'source: '
                        yield str(environment.getattr(l_2_n, 'source'))
                    yield ')'
            l_2_n = missing
            yield '\n'
    l_1_category = l_1_title = l_1_notes = missing
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'tests'):
        pass
        yield '\n\n## Testing strategy\n\n| File | Test | Checks |\n| --- | --- | --- |\n'
        for l_1_t in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'tests'):
            _loop_vars = {}
            pass
            yield '| '
            yield str(t_1(t_2(environment.getattr(l_1_t, 'file'))))
            yield ' | '
            yield str(t_1(t_2(environment.getattr(l_1_t, 'name'))))
            yield ' | '
            yield str(t_1(environment.getattr(l_1_t, 'checks')))
            yield ' |\n'
        l_1_t = missing
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'steps'):
        pass
        yield '\n\n## Order of work\n'
        l_1_loop = missing
        for l_1_s, l_1_loop in LoopContext(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'steps'), undefined):
            _loop_vars = {}
            pass
            yield '\n'
            yield str(environment.getattr(l_1_loop, 'index'))
            yield '. **'
            yield str(environment.getattr(l_1_s, 'title'))
            yield '**'
            if environment.getattr(l_1_s, 'detail'):
                pass
                yield ': '
                yield str(environment.getattr(l_1_s, 'detail'))
        l_1_loop = l_1_s = missing
        yield '\n'
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'open_questions'):
        pass
        yield '\n\n## Open questions\n'
        for l_1_q in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'open_questions'):
            _loop_vars = {}
            pass
            yield '\n- '
            yield str(l_1_q)
        l_1_q = missing
        yield '\n'
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'refinement'):
        pass
        yield '\n\n'
        yield str((undefined(name='refinement_heading') if l_0_refinement_heading is missing else l_0_refinement_heading))
        yield '\n\n> Written by a language model from prompt sha256:'
        yield str(environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'provenance'), 'prompt_sha256'))
        yield ' (answer cached in `.planner/cache/'
        yield str(environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'provenance'), 'prompt_sha256'))
        yield '.json`). planner checked that every section above is unchanged; it did not check this one.\n\n'
        yield str(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'refinement'))
        yield '\n'
    yield '\n'

blocks = {}
debug_info = '2=58&3=60&5=62&7=64&11=66&12=68&15=78&17=80&20=83&21=87&29=91&30=95&32=102&34=106&35=110&36=114&39=118&45=121&46=125&48=136&50=140&52=146&53=152&54=155&56=157&57=160&61=165&62=169&64=172&65=176&67=178&68=182&69=185&73=195&76=198&78=202&79=206&80=209&84=212&85=216&89=226&92=229&94=233&95=239&98=242&99=246&102=255&106=258&107=262&111=272&114=276&115=280&119=285&121=289&124=291&127=294&128=298&129=300&131=303&132=305&133=309&134=310&135=315&139=332&145=335&146=339&149=346&152=350&153=354&156=364&159=367&160=371&163=374&165=377&167=379&169=383'

# Generated by `python tools/gen_docs.py` from blueprints/templates/plan.md.j2; do not edit.
# planner/_render.py uses it only when both values below match, and
# compiles the template itself otherwise.
TEMPLATE_SHA256 = '96297542728c531680ecc1ace08cf0db723a3bdda1eeb4381f97c5801cdcb8fe'
JINJA2_VERSION = '3.1.6'
