from planner._template_runtime import LoopContext, TemplateRuntimeError, Undefined, environment, internalcode, missing
_getattr = environment.getattr
name = 'plan.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_provenance_line = resolve('provenance_line')
    l_0_plan = resolve('plan')
    l_0_note_sections = resolve('note_sections')
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
        t_4 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_5 = environment.filters['unique']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'unique' found.")
    pass
    yield '<!-- '
    yield str((undefined(name='provenance_line') if l_0_provenance_line is missing else l_0_provenance_line))
    yield ' -->\n# Plan: '
    yield str(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'title'))
    yield '\n\n'
    yield str(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'summary'))
    yield '\n\nPlan file: `.claude/docs/'
    yield str(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'name'))
    yield '.md`. Guidance only: no code is written here.\n\n## Context\n\n'
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'context'):
        pass
        for l_1_line in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'context'):
            _loop_vars = {}
            pass
            yield '> '
            yield str(l_1_line)
            yield '\n'
        l_1_line = missing
    else:
        pass
        yield 'No session context was given (`.claude/tasks/session_context_'
        yield str(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'name'))
        yield '.md` was not found).\n'
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'assumptions'):
        pass
        yield '\n\nAssumptions:\n'
        for l_1_item in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'assumptions'):
            _loop_vars = {}
            pass
            yield '\n- '
            yield str(l_1_item)
        l_1_item = missing
        yield '\n'
    yield '\n\n## Files to create and change\n\n| Action | Path | Purpose |\n| --- | --- | --- |\n'
    for l_1_f in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'files'):
        _loop_vars = {}
        pass
        yield '| '
        yield str(_getattr(l_1_f, 'action'))
        yield ' | '
        yield str(t_1(t_2(_getattr(l_1_f, 'path'))))
        yield ' | '
        yield str(t_1(_getattr(l_1_f, 'purpose')))
        yield ' |\n'
    l_1_f = missing
    for l_1_f in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'files'):
        _loop_vars = {}
        pass
        yield '\n\n### '
        yield str(t_2(_getattr(l_1_f, 'path')))
        yield ' ('
        yield str(_getattr(l_1_f, 'action'))
        yield ')\n'
        for l_2_g in _getattr(l_1_f, 'guidance'):
            _loop_vars = {}
            pass
            yield '\n- '
            yield str(l_2_g)
        l_2_g = missing
    l_1_f = missing
    yield '\n'
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'endpoints'):
        pass
        yield '\n\n## API contract\n\n| Method | Path | Success | Errors | Auth |\n| --- | --- | --- | --- | --- |\n'
        for l_1_e in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'endpoints'):
            _loop_vars = {}
            pass
            yield '| '
            yield str(_getattr(l_1_e, 'method'))
            yield ' | '
            yield str(t_1(t_2(_getattr(l_1_e, 'path'))))
            yield ' | '
            yield str(_getattr(l_1_e, 'success_status'))
            yield ' | '
            yield str(t_3(context.eval_ctx, t_5(environment, t_4(context, _getattr(l_1_e, 'errors'), attribute='status')), ', '))
            yield ' | '
            yield str(t_1(_getattr(l_1_e, 'auth')))
            yield ' |\n'
        l_1_e = missing
        for l_1_e in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'endpoints'):
            _loop_vars = {}
            pass
            yield '\n\n### `'
            yield str(_getattr(l_1_e, 'method'))
            yield ' '
            yield str(_getattr(l_1_e, 'path'))
            yield '` → '
            yield str(_getattr(l_1_e, 'success_status'))
            yield '\n\n'
            yield str(_getattr(l_1_e, 'summary'))
            yield '. Function '
            yield str(t_2(_getattr(l_1_e, 'function')))
            yield '; '
            yield str(('idempotent' if _getattr(l_1_e, 'idempotent') else 'not idempotent'))
            yield '.\n'
            if _getattr(l_1_e, 'request_schema'):
                pass
                yield '\n- Request body: `'
                yield str(_getattr(l_1_e, 'request_schema'))
                yield '`'
            if _getattr(l_1_e, 'response_schema'):
                pass
                yield '\n- Response body: `'
                yield str(_getattr(l_1_e, 'response_schema'))
                yield '`'
            else:
                pass
                yield '\n- Response body: none'
            for l_2_h in _getattr(l_1_e, 'success_headers'):
                _loop_vars = {}
                pass
                yield '\n- Header on success: `'
                yield str(l_2_h)
                yield '`'
            l_2_h = missing
            for l_2_q in _getattr(l_1_e, 'query'):
                _loop_vars = {}
                pass
                yield '\n- Query: '
                yield str(l_2_q)
            l_2_q = missing
            for l_2_err in _getattr(l_1_e, 'errors'):
                _loop_vars = {}
                pass
                yield '\n- **'
                yield str(_getattr(l_2_err, 'status'))
                yield '** when '
                yield str(_getattr(l_2_err, 'when'))
                for l_3_h in _getattr(l_2_err, 'headers'):
                    _loop_vars = {}
                    pass
                    yield ' (with `'
                    yield str(l_3_h)
                    yield '`)'
                l_3_h = missing
            l_2_err = missing
        l_1_e = missing
        yield '\n'
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'schemas'):
        pass
        yield '\n\n## Schemas\n'
        for l_1_s in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'schemas'):
            _loop_vars = {}
            pass
            yield '\n\n### `'
            yield str(_getattr(l_1_s, 'name'))
            yield '` ('
            yield str(_getattr(l_1_s, 'role'))
            yield ')\n'
            if _getattr(l_1_s, 'notes'):
                pass
                yield '\n'
                yield str(_getattr(l_1_s, 'notes'))
                yield '.\n'
            yield '\n| Field | Type | Required | Constraints |\n| --- | --- | --- | --- |\n'
            for l_2_fld in _getattr(l_1_s, 'fields'):
                _loop_vars = {}
                pass
                yield '| '
                yield str(t_1(t_2(_getattr(l_2_fld, 'name'))))
                yield ' | '
                yield str(t_1(t_2(_getattr(l_2_fld, 'type'))))
                yield ' | '
                yield str(('yes' if _getattr(l_2_fld, 'required') else 'no'))
                yield ' | '
                yield str(t_1(_getattr(l_2_fld, 'constraints')))
                yield ' |\n'
            l_2_fld = missing
        l_1_s = missing
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'data_model'):
        pass
        yield '\n\n## Data model\n'
        for l_1_t in _getattr(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'data_model'), 'tables'):
            _loop_vars = {}
            pass
            yield '\n\n### Table `'
            yield str(_getattr(l_1_t, 'name'))
            yield '` (model `'
            yield str(_getattr(l_1_t, 'model'))
            yield '`, '
            yield str(_getattr(l_1_t, 'action'))
            yield ')\n'
            if _getattr(l_1_t, 'columns'):
                pass
                yield '\n| Column | Type | Null | Constraints |\n| --- | --- | --- | --- |\n'
                for l_2_c in _getattr(l_1_t, 'columns'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(t_1(t_2(_getattr(l_2_c, 'name'))))
                    yield ' | '
                    yield str(t_1(t_2(_getattr(l_2_c, 'type'))))
                    yield ' | '
                    yield str(('yes' if _getattr(l_2_c, 'nullable') else 'no'))
                    yield ' | '
                    yield str(t_1(t_3(context.eval_ctx, _getattr(l_2_c, 'constraints'), '; ')))
                    yield ' |\n'
                l_2_c = missing
            if _getattr(l_1_t, 'indexes'):
                pass
                yield '\n\n| Index | Columns | Unique | Why |\n| --- | --- | --- | --- |\n'
                for l_2_i in _getattr(l_1_t, 'indexes'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(t_1(t_2(_getattr(l_2_i, 'name'))))
                    yield ' | '
                    yield str(t_1(t_3(context.eval_ctx, _getattr(l_2_i, 'columns'), ', ')))
                    yield ' | '
                    yield str(('yes' if _getattr(l_2_i, 'unique') else 'no'))
                    yield ' | '
                    yield str(t_1(_getattr(l_2_i, 'reason')))
                    yield ' |\n'
                l_2_i = missing
        l_1_t = missing
        if _getattr(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'data_model'), 'migration'):
            pass
            yield '\n\n### Migration\n'
            l_1_loop = missing
            for l_1_m, l_1_loop in LoopContext(_getattr(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'data_model'), 'migration'), undefined):
                _loop_vars = {}
                pass
                yield '\n'
                yield str(_getattr(l_1_loop, 'index'))
                yield '. '
                yield str(l_1_m)
            l_1_loop = l_1_m = missing
            yield '\n'
    for l_1_d in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'diagrams'):
        _loop_vars = {}
        pass
        yield '\n\n## Diagram: '
        yield str(_getattr(l_1_d, 'title'))
        yield '\n\n```mermaid\n'
        yield str(_getattr(l_1_d, 'mermaid'))
        yield '\n```\n'
    l_1_d = missing
    for (l_1_title, l_1_notes) in (undefined(name='note_sections') if l_0_note_sections is missing else l_0_note_sections):
        _loop_vars = {}
        pass
        if l_1_notes:
            pass
            yield '\n\n## '
            yield str(l_1_title)
            yield '\n'
            for l_2_n in l_1_notes:
                _loop_vars = {}
                pass
                yield '\n- '
                yield str(_getattr(l_2_n, 'text'))
                if _getattr(l_2_n, 'old'):
                    pass
                    yield ' Instead of: '
                    yield str(context.call(_getattr(_getattr(l_2_n, 'old'), 'rstrip'), '.', _loop_vars=_loop_vars))
                    yield '.'
                if (_getattr(l_2_n, 'since') or _getattr(l_2_n, 'source')):
                    pass
                    yield ' ('
                    if _getattr(l_2_n, 'since'):
                        pass
                        yield str(_getattr(l_2_n, 'since'))
                    if (_getattr(l_2_n, 'since') and _getattr(l_2_n, 'source')):
                        pass
                        yield '; '
                    if _getattr(l_2_n, 'source'):
                        pass
                        yield 'source: '
                        yield str(_getattr(l_2_n, 'source'))
                    yield ')'
            l_2_n = missing
            yield '\n'
    l_1_title = l_1_notes = missing
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'tests'):
        pass
        yield '\n\n## Testing strategy\n\n| File | Test | Checks |\n| --- | --- | --- |\n'
        for l_1_t in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'tests'):
            _loop_vars = {}
            pass
            yield '| '
            yield str(t_1(t_2(_getattr(l_1_t, 'file'))))
            yield ' | '
            yield str(t_1(t_2(_getattr(l_1_t, 'name'))))
            yield ' | '
            yield str(t_1(_getattr(l_1_t, 'checks')))
            yield ' |\n'
        l_1_t = missing
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'steps'):
        pass
        yield '\n\n## Order of work\n'
        l_1_loop = missing
        for l_1_s, l_1_loop in LoopContext(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'steps'), undefined):
            _loop_vars = {}
            pass
            yield '\n'
            yield str(_getattr(l_1_loop, 'index'))
            yield '. **'
            yield str(_getattr(l_1_s, 'title'))
            yield '**'
            if _getattr(l_1_s, 'detail'):
                pass
                yield ': '
                yield str(_getattr(l_1_s, 'detail'))
        l_1_loop = l_1_s = missing
        yield '\n'
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'open_questions'):
        pass
        yield '\n\n## Open questions\n'
        for l_1_q in _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'open_questions'):
            _loop_vars = {}
            pass
            yield '\n- '
            yield str(l_1_q)
        l_1_q = missing
        yield '\n'
    if _getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'refinement'):
        pass
        yield '\n\n'
        yield str((undefined(name='refinement_heading') if l_0_refinement_heading is missing else l_0_refinement_heading))
        yield '\n\n> Written by a language model from prompt sha256:'
        yield str(_getattr(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'provenance'), 'prompt_sha256'))
        yield ' (answer cached in `.planner/cache/'
        yield str(_getattr(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'provenance'), 'prompt_sha256'))
        yield '.json`). planner checked that every section above is unchanged; it did not check this one.\n\n'
        yield str(_getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'refinement'))
        yield '\n'
    yield '\n'

blocks = {}
debug_info = '2=46&3=48&5=50&7=52&11=54&12=56&15=66&17=68&20=71&21=75&29=79&30=83&32=90&34=94&35=98&36=102&39=106&45=109&46=113&48=124&50=128&52=134&53=140&54=143&56=145&57=148&61=153&62=157&64=160&65=164&67=166&68=170&69=173&73=183&76=186&78=190&79=194&80=197&84=200&85=204&89=214&92=217&94=221&95=227&98=230&99=234&102=243&106=246&107=250&111=260&114=264&115=268&119=273&121=277&124=279&127=282&128=285&130=288&131=290&132=294&133=295&134=300&138=317&144=320&145=324&148=331&151=335&152=339&155=349&158=352&159=356&162=359&164=362&166=364&168=368'

# Generated by `python tools/gen_docs.py` from blueprints/templates/plan.md.j2 by
# Jinja2 3.1.6; do not edit. planner/_render.py uses it only
# while both values below match, and compiles the template otherwise.
TEMPLATE_SHA256 = 'e23f2817251fcbe531b52660d586f156c4557cc6e830616cc21dcca21fd77a19'
RUNTIME_VERSION = 1
