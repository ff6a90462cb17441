#ifndef FATHOM_CLIBXML2_SHIM_H
#define FATHOM_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* libxml2's encoding.h pulls ICU's headers in when libxml2 was built with ICU; they clash with Foundation's own ICU
   module. Fathom never touches the encoding handler's ICU fields, so the declarations are left out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/* The run-time libxml2 version, e.g. "20914" (xmlParserVersion is a macro over a function in threaded builds). */
static inline const char *fathom_libxml2_version(void) { return xmlParserVersion; }
#endif
