/*
 * counter.c - a fixed-size tally of pantry items for embedded displays.
 */
#include <stdio.h>
#include <string.h>

#define MAX_COUNTERS 16
#define NAME_LEN 32

/* A named tally. */
struct counter {
    char name[NAME_LEN];
    int value;
};

/* Every counter in use, and how many slots are taken. */
static struct counter counters[MAX_COUNTERS];
int counter_count = 0;

/* Return the counter called `name`, or NULL if there is none. */
static struct counter *counter_find(const char *name)
{
    for (int i = 0; i < counter_count; i++) {
        if (strcmp(counters[i].name, name) == 0) {
            return &counters[i];
        }
    }
    return NULL;
}

/* Add `delta` to the counter called `name`, creating it on first use.
 * Returns the new value, or -1 when the table is full. */
int counter_bump(const char *name, int delta)
{
    struct counter *c = counter_find(name);
    if (c == NULL) {
        if (counter_count >= MAX_COUNTERS) {
            return -1;
        }
        c = &counters[counter_count++];
        strncpy(c->name, name, NAME_LEN - 1);
        c->name[NAME_LEN - 1] = '\0';
        c->value = 0;
    }
    c->value += delta;
    return c->value;
}

/* Print every counter, one per line. */
void counter_dump(FILE *out)
{
    for (int i = 0; i < counter_count; i++) {
        fprintf(out, "%-*s %d\n", NAME_LEN, counters[i].name, counters[i].value);
    }
}

int main(void)
{
    counter_bump("rice", 2);
    counter_bump("beans", 5);
    counter_bump("rice", -1);
    counter_dump(stdout);
    return 0;
}
