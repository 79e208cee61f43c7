// Non-variadic doors into libedit: Swift cannot call el_set, el_get or history().
// No logic lives here; every function forwards one call.
#ifndef PROCLAB_CEDITLINE_SHIM_H
#define PROCLAB_CEDITLINE_SHIM_H
#include <stdio.h>
#include <histedit.h>

typedef char *(*proclab_prompt_fn)(EditLine *);
typedef int (*proclab_getc_fn)(EditLine *, wchar_t *);
typedef unsigned char (*proclab_command_fn)(EditLine *, int);

static inline EditLine *proclab_el_init(const char *prog) { return el_init(prog, stdin, stdout, stderr); }
static inline int proclab_el_set_prompt(EditLine *e, proclab_prompt_fn f) { return el_set(e, EL_PROMPT, f); }
static inline int proclab_el_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
static inline int proclab_el_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
static inline int proclab_el_set_getc(EditLine *e, proclab_getc_fn f) { return el_wset(e, EL_GETCFN, f); }
static inline int proclab_el_set_hist(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }
static inline int proclab_el_add_fn(EditLine *e, const char *name, const char *help, proclab_command_fn f) { return el_set(e, EL_ADDFN, name, help, f); }
static inline int proclab_el_bind(EditLine *e, const char *key, const char *fn) { return el_set(e, EL_BIND, key, fn, NULL); }
static inline int proclab_el_prep_term(EditLine *e, int on) { return el_set(e, EL_PREP_TERM, on); }
static inline int proclab_el_refresh(EditLine *e) { return el_set(e, EL_REFRESH); }
static inline int proclab_el_source(EditLine *e) { return el_source(e, NULL); }
static inline int proclab_el_set_clientdata(EditLine *e, void *data) { return el_set(e, EL_CLIENTDATA, data); }
static inline void *proclab_el_get_clientdata(EditLine *e) { void *data = NULL; el_get(e, EL_CLIENTDATA, &data); return data; }
static inline int proclab_el_columns(EditLine *e) { int columns = 0; el_get(e, EL_GETTC, "co", &columns); return columns; }

static inline History *proclab_history_init(void) { return history_init(); }
static inline int proclab_history_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int proclab_history_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int proclab_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int proclab_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline int proclab_history_save(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_SAVE, path); }

// glibc declares wcwidth only under _XOPEN_SOURCE; libedit measures columns with it, so must we.
int wcwidth(wchar_t c);
static inline int proclab_wcwidth(wchar_t c) { return wcwidth(c); }
#endif
