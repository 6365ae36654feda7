/* The cblas_sgemm that graves_lstm_init (lstm.c) binds from the project's OpenBLAS, shared by the kernels. */
#ifndef GRAVES_BLAS_H
#define GRAVES_BLAS_H

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int,
                         float, float *, int);
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
extern sgemm_fn graves_sgemm;
#define sgemm graves_sgemm

#endif
