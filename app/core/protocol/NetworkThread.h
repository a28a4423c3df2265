#pragma once

#include <QThread>

namespace wst {

// The one thread where sockets live, so that a flood never reaches the GUI thread's event loop.
// Started on first use; stopped when the application object is destroyed.
class NetworkThread
{
public:
    static QThread *instance();
    // A second thread for the wire relays, so that copying bytes and parsing frames run on
    // both cores (DESIGN.md decision 1).
    static QThread *relayInstance();
    // Stops the thread (after deleting the objects that live in it). Called at exit.
    static void shutdown();
};

} // namespace wst
