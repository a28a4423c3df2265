#pragma once

class QThreadPool;

namespace wst {

// The pool for wstester's own background work: sorting and filtering the history, decoding and
// searching a selected message, reading a session back, mapping the store's memory ahead of the
// writer. Never QThreadPool::globalInstance(): Qt 6.4's raster engine splits every large fill (a
// view's background, a scroll bar's groove) across the global pool and the GUI thread waits for
// those pieces, so a long task of ours there holds up painting for as long as it runs.
QThreadPool *workerPool();

} // namespace wst
